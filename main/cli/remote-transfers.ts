// `volume export` and `volume import` with a volume on another machine: the tar streams
// through an SSH session of its own that runs the command line's own verb there, so memory
// stays flat on both sides and the far side's checks (an import staged, then moved in only
// once whole) apply as they do locally. Ctrl-C ends the session; what it leaves there is what
// a cancelled local transfer leaves. What the far side says on standard error is shown with
// its control characters taken out: it is the other machine's text, not this terminal's. On a
// terminal, a progress line counts what crossed the connection.

import { createReadStream, createWriteStream, existsSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { Transform } from 'node:stream';
import { progressText } from '../../app/api/progress.js';
import { basename, dirname, join, resolve } from 'node:path';
import { invalidRequest, remoteLost } from '../../app/errors/catalogue.js';
import { archiveExists } from '../../app/transfer/archive-errors.js';
import { startThere, type RemoteTarget } from '../shared/remote/channel.js';
import { machineName } from '../shared/remote/ssh-url.js';
import { parse } from './args.js';
import type { Io } from './commands.js';

const shown = (text: string) => text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');

/** Runs `args` of the command line there, wiring its standard input and output; resolves with its exit code. */
/** `total`: the bytes an import sends, where known (a file), for the time left. */
async function runVerb(t: RemoteTarget, args: string[], io: Io, stdin: NodeJS.ReadableStream | 'none', stdout: NodeJS.WritableStream, total?: number): Promise<number> {
  const far = [...(t.stateDir ? ['--state-dir', t.stateDir] : []), ...(io.explain ? ['--explain'] : []), ...args];
  let err = '';
  const ssh = await startThere(t, far);
  ssh.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-65_536)));
  // Only now: before, the far shell might still have said the app is missing, and a stream
  // sent then would be lost to the copy that follows.
  // Progress counts the bytes that cross here, on a terminal only (as a local transfer's).
  const counted = new Transform({ transform: (chunk: Buffer, _e, done) => done(null, (tick(chunk.length), chunk)) });
  const started = Date.now();
  let bytes = 0;
  let shownAt = 0;
  const tick = (n: number) => {
    bytes += n;
    if (!process.stderr.isTTY || Date.now() - shownAt < 250) return;
    shownAt = Date.now();
    const p = progressText({ Bytes: bytes, ...(total ? { Total: total } : {}) }, Date.now() - started);
    process.stderr.write(`\r\x1b[K${[p.done, p.rate, p.left].filter(Boolean).join(' · ')}`);
  };
  if (stdin === 'none') ssh.stdin!.end();
  else stdin.pipe(counted).pipe(ssh.stdin!);
  (stdin === 'none' ? ssh.stdout!.pipe(counted) : ssh.stdout!).pipe(stdout, { end: false });
  const stop = () => ssh.kill('SIGTERM');
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const code = await new Promise<number | null>((r) => ssh.once('close', (c) => r(c)));
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  if (process.stderr.isTTY && bytes) process.stderr.write('\r\x1b[K');
  if (code === 255) throw remoteLost(machineName(t.url), shown(err).trim() || 'the SSH session ended');
  if (err.trim()) io.err(shown(err).trimEnd());
  return code ?? 125;
}

export const remoteTransfers: Record<string, (argv: string[], t: RemoteTarget, io: Io) => Promise<number>> = {
  async export(argv, t, io) {
    const { values, positionals } = parse(argv, { output: { type: 'string', short: 'o' }, force: { type: 'boolean', short: 'f' } });
    if (positionals.length !== 1) throw invalidRequest(`accepts 1 arg(s), received ${positionals.length}`);
    const toStdout = values.output === undefined || values.output === '-';
    if (toStdout) {
      if (process.stdout.isTTY) throw invalidRequest('refusing to write an archive to a terminal: give --output FILE or pipe it somewhere');
      return runVerb(t, ['volume', 'export', positionals[0]!], io, 'none', process.stdout);
    }
    const path = resolve(String(values.output));
    if (existsSync(path) && values.force !== true) throw archiveExists(path);
    // Written beside the file and renamed in only when whole: a broken stream leaves no half archive.
    const partial = join(dirname(path), `.${basename(path)}.partial-${process.pid}`);
    const out = createWriteStream(partial, { fd: openSync(partial, 'wx', 0o600) });
    try {
      const code = await runVerb(t, ['volume', 'export', positionals[0]!], io, 'none', out);
      await new Promise<void>((r) => out.end(r));
      if (code === 0) renameSync(partial, path);
      return code;
    } finally {
      rmSync(partial, { force: true });
    }
  },

  async import(argv, t, io) {
    const { values, positionals } = parse(argv, { replace: { type: 'boolean' } });
    if (positionals.length !== 2) throw invalidRequest(`accepts 2 arg(s), received ${positionals.length}`);
    const [name, file] = positionals as [string, string];
    const input = file === '-' ? process.stdin : createReadStream(resolve(file));
    const total = file === '-' ? undefined : statSync(resolve(file)).size;
    return runVerb(t, ['volume', 'import', ...(values.replace ? ['--replace'] : []), name, '-'], io, input, process.stdout, total);
  },
};
