// `volume export` and `volume import`: podman's verbs, streamed. They call the volume layer
// directly rather than through the contract, because standard input and output are this
// process's own and no page may ever name them; progress goes to a terminal's stderr.

import { resolve } from 'node:path';
import { progressText } from '../../app/api/progress.js';
import type { TransferProgress } from '../../app/api/types.js';
import { invalidRequest } from '../../app/errors/catalogue.js';
import { exportToFile, importFromFile } from '../../app/transfer/archive-files.js';
import type { VolumeEngine } from '../../app/volume/engine.js';
import { exportVolume, importVolume } from '../../app/transfer/transfer.js';
import type { TransferHooks } from '../../app/transfer/transfer-progress.js';
import { formatBytes } from '../../app/api/bytes.js';
import { parse } from './args.js';
import type { Io } from './commands.js';

/** A cancel on Ctrl-C, and a progress line where stderr is a terminal. */
function hooks(): TransferHooks & { done(): void } {
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

export const transferCommands: Record<string, (argv: string[], engine: VolumeEngine, io: Io) => Promise<number>> = {
  async export(argv, engine, io) {
    const { values, positionals } = parse(argv, { output: { type: 'string', short: 'o' }, force: { type: 'boolean', short: 'f' } });
    if (positionals.length !== 1) throw invalidRequest('volume export takes exactly one NAME');
    const name = positionals[0]!;
    const h = hooks();
    try {
      if (values.output === undefined || values.output === '-') {
        if (process.stdout.isTTY) throw invalidRequest('refusing to write an archive to a terminal: give --output FILE or pipe it somewhere');
        await exportVolume(engine, name, process.stdout, h);
        return 0;
      }
      const path = resolve(values.output as string);
      const r = await exportToFile(engine, name, path, { ...h, overwrite: values.force === true });
      io.err(`exported ${name} to ${path} (${formatBytes(r.Bytes)})`);
      return 0;
    } finally {
      h.done();
    }
  },

  async import(argv, engine, io) {
    const { values, positionals } = parse(argv, { replace: { type: 'boolean' } });
    if (positionals.length !== 2) throw invalidRequest('volume import takes a NAME and a FILE (or - for standard input)');
    const [name, file] = positionals as [string, string];
    const h = hooks();
    try {
      const opts = { ...h, replace: values.replace === true };
      const r = file === '-' ? await importVolume(engine, name, process.stdin, { ...opts, file: '-' }) : await importFromFile(engine, name, resolve(file), opts);
      io.err(`imported ${r.Entries} entries (${formatBytes(r.Bytes)}) into ${name}${r.Replaced ? ', replacing what it held' : ''}`);
      return 0;
    } finally {
      h.done();
    }
  },
};
