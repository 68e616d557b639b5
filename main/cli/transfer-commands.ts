// `volume export` and `volume import`: podman's verbs, streamed, through the transfer wing's
// dispatch as a window's are, run by a terminal's runner: a progress line where stderr is a
// terminal, and Ctrl-C to cancel. Standard input and output are this process's own, which no
// page may ever name.

import { resolve } from 'node:path';
import { progressText } from '../../app/api/progress.js';
import type { TransferProgress } from '../../app/api/types.js';
import { invalidRequest } from '../../app/errors/catalogue.js';
import { GuidedError, toGuided } from '../../app/errors/guided-error.js';
import { dispatchExport, dispatchImport, type TransferRunner } from '../../app/transfer/dispatch.js';
import type { VolumeEngine } from '../../app/volume/engine.js';
import type { TransferHooks } from '../../app/transfer/transfer-progress.js';
import { formatBytes } from '../../app/api/bytes.js';
import { parse } from './args.js';
import type { Io } from './commands.js';

/** A cancel on Ctrl-C, and a progress line where stderr is a terminal; done() when the transfer ends. */
export function terminalHooks(): TransferHooks & { done(): void } {
  const controller = new AbortController();
  const onInt = () => controller.abort();
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onInt);
  const started = Date.now();
  const tty = process.stderr.isTTY;
  return {
    signal: controller.signal,
    ...(tty
      ? {
          onProgress: (p: TransferProgress) => {
            const t = progressText(p, Date.now() - started);
            process.stderr.write(`\r\x1b[K${[t.done, t.rate, t.left].filter(Boolean).join(' · ')}`);
          },
        }
      : {}),
    done() {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onInt);
      if (tty) process.stderr.write('\r\x1b[K');
    },
  };
}

/** The terminal's runner: the hooks above for as long as the work runs, its outcome as an envelope. */
const inTerminal: TransferRunner = async (_id, _name, _op, work) => {
  const h = terminalHooks();
  try {
    return { ok: true, value: await work(h) };
  } catch (err) {
    return { ok: false, error: toGuided(err).toJSON() };
  } finally {
    h.done();
  }
};

/** A transfer id of this process's own: the contract asks one of every transfer. */
const ownId = () => `cli-${process.pid}-${Date.now().toString(36)}`;

/** The value of an envelope, or its guided error thrown, for the command line's printing. */
function valueOf<T>(env: { ok: true; value: T } | { ok: false; error: ConstructorParameters<typeof GuidedError>[0] }): T {
  if (!env.ok) throw new GuidedError(env.error);
  return env.value;
}

export const transferCommands: Record<string, (argv: string[], engine: VolumeEngine, io: Io) => Promise<number>> = {
  async export(argv, engine, io) {
    const { values, positionals } = parse(argv, { output: { type: 'string', short: 'o' }, force: { type: 'boolean', short: 'f' } });
    if (positionals.length !== 1) throw invalidRequest(`accepts 1 arg(s), received ${positionals.length}`);
    const name = positionals[0]!;
    const toStdout = values.output === undefined || values.output === '-';
    if (toStdout && process.stdout.isTTY) throw invalidRequest('refusing to write an archive to a terminal: give --output FILE or pipe it somewhere');
    const path = toStdout ? '' : resolve(values.output as string);
    const r = valueOf(await dispatchExport(engine, inTerminal, { name, id: ownId() }, async () => (toStdout ? { stream: process.stdout } : { file: path, overwrite: values.force === true })));
    // podman says nothing on success; a person at a terminal is told where it went.
    if (!toStdout && process.stderr.isTTY) io.err(`exported ${name} to ${path} (${formatBytes(r!.Bytes)})`);
    return 0;
  },

  async import(argv, engine, io) {
    const { values, positionals } = parse(argv, { replace: { type: 'boolean' } });
    if (positionals.length !== 2) throw invalidRequest(`accepts 2 arg(s), received ${positionals.length}`);
    const [name, file] = positionals as [string, string];
    const request = { name, id: ownId(), replace: values.replace === true };
    const r = valueOf(await dispatchImport(engine, inTerminal, request, () => (file === '-' ? { stream: process.stdin, label: '-' } : { file: resolve(file) })));
    if (io.reportJson) io.out(JSON.stringify(r));
    else if (process.stderr.isTTY) io.err(`imported ${r.Entries} entries (${formatBytes(r.Bytes)}) into ${name}${r.Replaced ? ', replacing what it held' : ''}`);
    return 0;
  },
};
