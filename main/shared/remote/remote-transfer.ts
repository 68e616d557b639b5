// Export and import with a volume on another machine, for the command line and the windows
// alike: the far side's own `volume export` / `volume import` through an SSH session of its
// own, the tar streamed through here (memory flat), progress counted as it crosses, a cancel
// ending the session. The far side reports its outcome and its errors as JSON (--report-json),
// which are checked against the contract before they are believed.

import { Transform, type Readable, type Writable } from 'node:stream';
import { guidedError } from '../../../app/api/answers.js';
import type { ExportOutcome, ImportOutcome } from '../../../app/api/types.js';
import { remoteInvalid, remoteLost } from '../../../app/errors/catalogue.js';
import { GuidedError } from '../../../app/errors/guided-error.js';
import { transferCancelled } from '../../../app/transfer/archive-errors.js';
import { progressOf, type TransferHooks } from '../../../app/transfer/transfer-progress.js';
import { startThere, type RemoteTarget } from './channel.js';
import { machineName } from './ssh-url.js';

/** What the far side's standard error says last, as --report-json writes it: {"error": GuidedErrorData}. */
function farError(t: RemoteTarget, stderr: string): GuidedError {
  const last = stderr.trim().split('\n').at(-1) ?? '';
  try {
    const parsed = JSON.parse(last) as { error?: unknown };
    return new GuidedError(guidedError(parsed.error, 'error'));
  } catch (err) {
    return err instanceof GuidedError ? remoteInvalid(machineName(t.url), err.happened) : remoteLost(machineName(t.url), stderr.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '').trim().slice(-2000) || 'the far side ended without a word');
  }
}

/**
 * Runs `args` of the command line there with `input` as its standard input (or none) and its
 * standard output into `output` (or kept, for a report); resolves with what it printed.
 */
async function verbThere(t: RemoteTarget, args: string[], hooks: TransferHooks, name: string, op: 'export' | 'import', io: { input?: Readable; output?: Writable; total?: number }): Promise<{ bytes: number; stdout: string }> {
  const far = [...(t.stateDir ? ['--state-dir', t.stateDir] : []), '--report-json', ...args];
  const ssh = await startThere(t, far);
  let stderr = '';
  let stdout = '';
  ssh.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-65_536)));
  const report = progressOf(io.total, hooks);
  let bytes = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _e, done) {
      bytes += chunk.length;
      report(bytes);
      done(null, chunk);
    },
  });
  if (io.input) {
    io.input.on('error', () => ssh.kill('SIGTERM'));
    io.input.pipe(counted).pipe(ssh.stdin!);
  } else ssh.stdin!.end();
  if (io.output) (io.input ? ssh.stdout! : ssh.stdout!.pipe(counted)).pipe(io.output, { end: false });
  else ssh.stdout!.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-65_536)));
  let cancelled = false;
  const cancel = () => {
    cancelled = true;
    ssh.kill('SIGTERM');
  };
  hooks.signal?.addEventListener('abort', cancel, { once: true });
  const code = await new Promise<number | null>((r) => ssh.once('close', (c) => r(c)));
  hooks.signal?.removeEventListener('abort', cancel);
  if (cancelled) throw transferCancelled(name, op, op === 'export' ? 'nothing was kept' : `${name} is as it was there`);
  if (code === 255) throw remoteLost(machineName(t.url), stderr.trim() || 'the SSH session ended');
  if (code !== 0) throw farError(t, stderr);
  report(bytes);
  return { bytes, stdout };
}

/** Streams the archive of `name` there into `out`, and ends `out` once the archive is whole (a failure leaves it to the caller). */
export async function exportThere(t: RemoteTarget, name: string, out: Writable, hooks: TransferHooks): Promise<ExportOutcome> {
  const { bytes } = await verbThere(t, ['volume', 'export', name], hooks, name, 'export', { output: out });
  await new Promise<void>((r) => out.end(r));
  return { Bytes: bytes };
}

export async function importThere(t: RemoteTarget, name: string, input: Readable, opts: { replace: boolean; size?: number }, hooks: TransferHooks): Promise<ImportOutcome> {
  const { stdout, bytes } = await verbThere(t, ['volume', 'import', ...(opts.replace ? ['--replace'] : []), name, '-'], hooks, name, 'import', { input, ...(opts.size ? { total: opts.size } : {}) });
  let o: Partial<ImportOutcome>;
  try {
    o = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as Partial<ImportOutcome>;
  } catch {
    throw remoteInvalid(machineName(t.url), 'the import there said nothing of what it did');
  }
  if (!Number.isSafeInteger(o.Entries) || typeof o.Replaced !== 'boolean') throw remoteInvalid(machineName(t.url), 'the import there reported what no import reports');
  return { Entries: o.Entries!, Bytes: bytes, Replaced: o.Replaced! };
}
