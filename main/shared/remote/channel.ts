// An engine on another machine, reached over OpenSSH as podman reaches one: BatchMode, host
// keys checked against the same known_hosts as SSH volumes (never skipped), one SSH session
// running this bundle's `remote serve` there, and the API contract as JSON lines over its
// standard input and output, many calls on one session. Connections share one SSH master
// (ControlPersist) so that the next command does not pay for the handshake again. Every answer
// is checked against the contract (app/api/answers.ts) before it is used.

import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { checkAnswer, guidedError } from '../../../app/api/answers.js';
import type { Operation, RequestOf, ResponseOf } from '../../../app/api/contract.js';
import { remoteHostUnknown, remoteInvalid, remoteLost, remoteNodeMissing, sshAuthRefused, sshHostChanged, sshUnreachable } from '../../../app/errors/catalogue.js';
import { GuidedError } from '../../../app/errors/guided-error.js';
import { isUnknownHost } from '../../../app/drivers/sshfs/classify.js';
import { knownHostsName, parseSshOptions, type SshSpec } from '../../../app/drivers/sshfs/options.js';
import { knownHostsFile, scanHostKeys, sshOptions, sshTarget } from '../../../app/drivers/sshfs/ssh.js';
import { BUNDLE_FILES, bundleId, MISSING, nodeFits, READY, runScript, unpackScript } from './far-side.js';
import { machineName, type SshUrl } from './ssh-url.js';

export interface RemoteTarget {
  url: SshUrl;
  identity?: string;
  /** The folder of this bundle's cli.cjs, which is copied there where it is missing. */
  bundle: string;
  /** --state-dir there, when given with the verb. */
  stateDir?: string;
}

/** The spec SSH volumes use for the same server: the same options, known_hosts and checks. */
export function specOf(t: Pick<RemoteTarget, 'url' | 'identity'>): SshSpec {
  const o = [`port=${t.url.port}`, ...(t.identity ? [`IdentityFile=${t.identity}`] : [])].join(',');
  return parseSshOptions({ type: 'sshfs', device: `${t.url.user ? `${t.url.user}@` : ''}${t.url.host}:/`, o });
}

/** A socket's path holds 107 bytes; ssh's master socket is %C (40) plus a 17-byte suffix while it is made. */
const MAX_CONTROL_DIR = 107 - 1 - 40 - 17;

/**
 * One SSH master per machine, kept open a minute after the last command, in a folder of the
 * user's own; none (every command its own handshake) where that folder's path is too long for
 * a socket's.
 */
function controlOptions(): string[] {
  const dir = join(process.env.XDG_RUNTIME_DIR || join(homedir(), '.cache'), 'volume-manager', 'ssh');
  if (Buffer.byteLength(dir) > MAX_CONTROL_DIR) return [];
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return ['ControlMaster=auto', `ControlPath=${dir}/%C`, 'ControlPersist=60'];
}

/** The argv of `ssh` running `script` there (one string, for the far shell), with every check on. */
export function sshArgv(t: RemoteTarget, script: string): string[] {
  const spec = specOf(t);
  return ['-T', '-p', String(spec.port), ...[...sshOptions(spec), ...controlOptions()].flatMap((o) => ['-o', o]), '--', sshTarget(spec), script];
}

/** ssh's failure to connect, as the guided error SSH volumes give for the same server. */
async function connectError(t: RemoteTarget, output: string): Promise<GuidedError> {
  const spec = specOf(t);
  const machine = machineName(t.url);
  if (isUnknownHost(output)) return remoteHostUnknown(t.url.url, knownHostsName(spec), (await scanHostKeys(spec)).map((k) => k.fingerprint), output.trim());
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/.test(output)) return sshHostChanged(knownHostsName(spec), output.trim(), knownHostsFile());
  if (/Permission denied \(/.test(output)) return sshAuthRefused(sshTarget(spec), output.trim());
  if (/Connection refused|Connection timed out|timed out|No route to host|Could not resolve hostname|Network is unreachable|Connection closed/i.test(output)) return sshUnreachable(sshTarget(spec), spec.port, output.trim());
  return remoteLost(machine, output.trim() || 'ssh ended without a word');
}

/** Streams a local tar of the bundle into `script` there, without holding it in memory. */
function copyThere(t: RemoteTarget, script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const tar = spawn('tar', ['-cf', '-', '-C', t.bundle, ...BUNDLE_FILES], { stdio: ['ignore', 'pipe', 'ignore'] });
    const ssh = spawn('ssh', sshArgv(t, script), { stdio: ['pipe', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let err = '';
    ssh.stderr!.on('data', (d) => (err += d));
    ssh.stdin!.on('error', () => undefined);
    tar.stdout!.pipe(ssh.stdin!);
    ssh.on('close', (code) => {
      if (code === 0) return resolve();
      void (code === 255 ? connectError(t, err) : Promise.resolve(remoteLost(machineName(t.url), `copying the app there failed: ${err.trim()}`))).then(reject);
    });
  });
}

/** The first line of `stream` (the far shell's word), the rest left in the stream; null if it ends first. */
function firstLine(stream: Readable): Promise<string | null> {
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    const onEnd = () => resolve(null);
    const onData = (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const nl = buf.indexOf(10);
      if (nl < 0 && buf.length < 4096) return;
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.pause();
      if (nl < 0) return resolve(null);
      const rest = buf.subarray(nl + 1);
      if (rest.length) stream.unshift(rest);
      resolve(buf.subarray(0, nl).toString('utf8'));
    };
    stream.on('data', onData);
    stream.once('end', onEnd);
  });
}

/**
 * Starts this bundle's command line there with `args`, in one SSH round trip where it is there
 * already; where it is not, checks that machine's Node, copies the bundle once, and starts it.
 * Resolves once the far side runs it: its standard output is then the command line's own.
 */
export async function startThere(t: RemoteTarget, args: string[]): Promise<ChildProcess> {
  const id = bundleId(t.bundle);
  for (let attempt = 0; ; attempt++) {
    const child = spawn('ssh', sshArgv(t, runScript(id, args)), { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-8192)));
    child.stdin!.on('error', () => undefined);
    const exited = new Promise<number | null>((r) => child.once('close', (c) => r(c)));
    const word = await firstLine(child.stdout!);
    if (word === READY) return child;
    child.kill('SIGTERM');
    const code = await exited;
    if (word === null) throw code === 255 || code === null ? await connectError(t, err) : remoteLost(machineName(t.url), err.trim() || `the far shell ended (exit ${code})`);
    const [said, version] = word.split(' ');
    if (said !== MISSING || attempt > 0) throw remoteInvalid(machineName(t.url), `the far shell said ${JSON.stringify(word.slice(0, 80))}`);
    if (!version || version === 'none' || !nodeFits(version)) throw remoteNodeMissing(machineName(t.url), version ?? 'none');
    await copyThere(t, unpackScript(id));
  }
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: GuidedError) => void;
  op: Operation;
}

/** An engine there: one `remote serve` session, many calls. */
export class RemoteEngine {
  private readonly pending = new Map<number, Pending>();
  private next = 1;
  private ended: GuidedError | undefined;
  private stderr = '';

  private constructor(
    private readonly t: RemoteTarget,
    private readonly child: ChildProcess,
  ) {
    const machine = machineName(t.url);
    child.stderr!.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-8192)));
    const lines = createInterface({ input: child.stdout!, terminal: false });
    lines.on('line', (line) => this.answer(line));
    // The ssh here ended. With a shared master its pipes may stay open in the master: they are
    // closed from this end, which the master passes on as the end of the far side's input (and
    // the far side then stops whatever it was doing, see remote-serve.ts).
    child.on('exit', (code) => {
      setTimeout(() => {
        for (const s of [child.stdin, child.stdout, child.stderr]) s?.destroy();
      }, 200).unref();
      void (async () => {
        this.ended ??= code === 255 ? await connectError(t, this.stderr) : remoteLost(machine, this.stderr.trim() || `the session there ended (${code === null ? 'killed' : `exit ${code}`})`);
        for (const p of this.pending.values()) p.reject(this.ended);
        this.pending.clear();
      })();
    });
    child.stdin!.on('error', () => undefined);
  }

  /** Opens the session: `remote serve` started there (the bundle copied first where it is missing). */
  static async open(t: RemoteTarget): Promise<RemoteEngine> {
    return new RemoteEngine(t, await startThere(t, [...(t.stateDir ? ['--state-dir', t.stateDir] : []), 'remote', 'serve']));
  }

  private answer(line: string): void {
    const machine = machineName(this.t.url);
    let msg: { id?: unknown; envelope?: { ok?: unknown; value?: unknown; error?: unknown } };
    try {
      msg = JSON.parse(line);
    } catch {
      return this.fail(remoteInvalid(machine, `a line that is not JSON (${line.length} characters)`));
    }
    const p = typeof msg?.id === 'number' ? this.pending.get(msg.id) : undefined;
    if (!p || typeof msg.envelope !== 'object' || msg.envelope === null) return this.fail(remoteInvalid(machine, 'an answer to no question asked'));
    this.pending.delete(msg.id as number);
    try {
      if (msg.envelope.ok === true) p.resolve(checkAnswer(p.op, msg.envelope.value));
      else if (msg.envelope.ok === false) p.reject(new GuidedError(guidedError(msg.envelope.error, `${p.op}.error`)));
      else throw remoteInvalid(machine, 'an answer that is neither a value nor an error');
    } catch (err) {
      p.reject(err instanceof GuidedError && err.code !== 'INVALID_REQUEST' ? err : remoteInvalid(machine, (err as Error).message));
    }
  }

  /** The far side broke the protocol: every call fails with why, and the session ends. */
  private fail(e: GuidedError): void {
    this.ended = e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
    this.child.kill('SIGTERM');
  }

  call<K extends Operation>(op: K, request: RequestOf<K>): Promise<ResponseOf<K>> {
    if (this.ended) return Promise.reject(this.ended);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, op });
      this.child.stdin!.write(`${JSON.stringify({ id, op, request })}\n`);
    });
  }

  /**
   * Ends the session: the far side's engine ends with its standard input, every answer having
   * arrived. Nothing here waits for it to be gone: this process may end first.
   */
  async close(): Promise<void> {
    this.ended ??= remoteLost(machineName(this.t.url), 'the session was closed');
    this.child.stdin!.end();
    this.child.stdout!.destroy();
    this.child.stderr!.destroy();
    this.child.unref();
  }
}
