// The SSH side of an SSH volume: the sshfs command line, a diagnosis when it fails, and the
// server's host keys. Host keys are always checked against one known_hosts file, named to
// ssh explicitly so that what "Trust this host" records is exactly what the mount checks.
// Nothing here may wait on a prompt: BatchMode, and timeouts on every connection.

import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import { sshHostChanged } from '../../errors/catalogue.js';
import { execArgv } from '../../system/exec-argv.js';
import { knownHostsName, type SshSpec } from './options.js';

/** Where host keys are checked and recorded: VOLUME_MANAGER_KNOWN_HOSTS, else ~/.ssh/known_hosts. */
export const knownHostsFile = (env: NodeJS.ProcessEnv = process.env) => env.VOLUME_MANAGER_KNOWN_HOSTS || `${homedir()}/.ssh/known_hosts`;

export const sshTarget = (spec: SshSpec) => `${spec.user ? `${spec.user}@` : ''}${spec.host}`;

/** The ssh options every connection gets: strict host keys, no prompt, bounded waits. */
export function sshOptions(spec: SshSpec): string[] {
  return [
    'BatchMode=yes',
    'StrictHostKeyChecking=yes',
    `UserKnownHostsFile=${knownHostsFile()}`,
    `ConnectTimeout=${spec.connectTimeout}`,
    `ServerAliveInterval=${spec.connectTimeout}`,
    'ServerAliveCountMax=2',
    'LogLevel=ERROR',
    ...(spec.identityFile ? [`IdentityFile=${spec.identityFile}`, 'IdentitiesOnly=yes'] : []),
  ];
}

/** `sshfs -o ... -- [USER@]HOST:/PATH MOUNTPOINT`: an argv, no shell. */
export function sshfsArgs(spec: SshSpec, mountpoint: string): string[] {
  return ['-o', [`port=${spec.port}`, ...sshOptions(spec), ...spec.extra].join(','), '--', `${sshTarget(spec)}:${spec.path}`, mountpoint];
}

/**
 * sshfs reports most failures as "read: Connection reset by peer" and keeps ssh's reason to
 * itself; asking ssh for the sftp subsystem the same way gets the reason. Only after a failure.
 */
export async function diagnose(spec: SshSpec): Promise<string> {
  const args = ['-p', String(spec.port), ...sshOptions(spec).flatMap((o) => ['-o', o]), '-s', '--', sshTarget(spec), 'sftp'];
  const r = await execArgv('ssh', args, { timeoutMs: (spec.connectTimeout + 5) * 1000 });
  return r.output;
}

export interface HostKey {
  /** The line to record in known_hosts. */
  line: string;
  /** SHA256:... as `ssh-keygen -l` prints it. */
  fingerprint: string;
}

/** The keys the server offers now, with their fingerprints; empty when it does not answer. */
export async function scanHostKeys(spec: SshSpec): Promise<HostKey[]> {
  const r = await execArgv('ssh-keyscan', ['-p', String(spec.port), '-T', String(spec.connectTimeout), '--', spec.host.replace(/^\[|\]$/g, '')], { timeoutMs: (spec.connectTimeout + 5) * 1000 });
  const { createHash } = await import('node:crypto');
  return r.stdout
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((line) => {
      const blob = line.split(' ')[2] ?? '';
      return { line, fingerprint: `SHA256:${createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64').replace(/=+$/, '')}` };
    });
}

/**
 * Whether known_hosts already holds a key for this server, as OpenSSH looks it up: hashed
 * (`|1|…`, Debian's default) and plain entries, and the `[host]:port` form. A changed key is
 * never replaced for the user. A lookup that fails says "known": nothing is added blind.
 */
async function known(spec: SshSpec, file: string): Promise<boolean> {
  if (!existsSync(file)) return false;
  const r = await execArgv('ssh-keygen', ['-F', knownHostsName(spec), '-f', file], { timeoutMs: 10_000 });
  return r.code !== 1 || r.stdout.trim() !== '';
}

/** Whether the user's ssh configuration hashes the names it records (HashKnownHosts). */
async function hashesNames(spec: SshSpec): Promise<boolean> {
  const r = await execArgv('ssh', ['-G', '-p', String(spec.port), '--', spec.host.replace(/^\[|\]$/g, '')], { timeoutMs: 10_000 });
  return /^hashknownhosts yes$/m.test(r.stdout);
}

/** A known_hosts name as OpenSSH hashes it: |1|salt|HMAC-SHA1(salt, name), both base64. */
export async function hashedName(name: string, salt?: Buffer): Promise<string> {
  const { createHmac, randomBytes } = await import('node:crypto');
  const s = salt ?? randomBytes(20);
  return `|1|${s.toString('base64')}|${createHmac('sha1', s).update(name).digest('base64')}`;
}

/**
 * Records the server's key whose fingerprint the person confirmed, read again now: a key the
 * server no longer offers, or a server that already has another key recorded, is refused.
 * Returns the fingerprint recorded.
 */
export async function trustHostKey(spec: SshSpec, fingerprint: string): Promise<string> {
  const file = knownHostsFile();
  if (await known(spec, file)) throw sshHostChanged(knownHostsName(spec), `${knownHostsName(spec)} already has a key in ${file}; it is not replaced`, file);
  const key = (await scanHostKeys(spec)).find((k) => k.fingerprint === fingerprint);
  if (!key) throw sshHostChanged(knownHostsName(spec), `${knownHostsName(spec)} does not offer a key with fingerprint ${fingerprint} now`, file);
  const [, ...rest] = key.line.split(' ');
  const name = (await hashesNames(spec)) ? await hashedName(knownHostsName(spec)) : knownHostsName(spec);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  appendFileSync(file, `${[name, ...rest].join(' ')}\n`, { mode: 0o600 });
  return key.fingerprint;
}

/**
 * The folders in `path` on the server, over SFTP, for the create form's picker: names only,
 * sorted. A batch on standard input with one `ls`: the path is a checked absolute path with
 * no quote in it, so quoting it for sftp's batch parser is enough.
 */
export async function listRemoteFolders(spec: SshSpec, path: string): Promise<{ ok: true; folders: string[] } | { ok: false; output: string }> {
  const args = ['-b', '-', '-P', String(spec.port), ...sshOptions(spec).flatMap((o) => ['-o', o]), '--', sshTarget(spec)];
  const r = await execArgv('sftp', args, { input: `ls -la "${path}"\n`, timeoutMs: (spec.connectTimeout + 10) * 1000 });
  if (r.code !== 0 || r.timedOut) return { ok: false, output: r.output };
  const folders = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('d'))
    .map((l) => l.trim().split(/\s+/).slice(8).join(' '))
    .map((n) => n.split('/').pop() ?? n)
    .filter((n) => n && n !== '.' && n !== '..')
    .sort();
  return { ok: true, folders };
}
