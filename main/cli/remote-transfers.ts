// `volume export` and `volume import` with a volume on another machine (main/shared/remote/
// remote-transfer.ts streams them): to a file here (written beside it and renamed in only when
// whole, never over one without --force), or standard output; from a file or standard input.
// A progress line on a terminal, as a local transfer's, and Ctrl-C to cancel.

import { createReadStream, createWriteStream, existsSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { invalidRequest } from '../../app/errors/catalogue.js';
import { archiveExists } from '../../app/transfer/archive-errors.js';
import type { TransferHooks } from '../../app/transfer/transfer-progress.js';
import type { RemoteTarget } from '../shared/remote/channel.js';
import { exportThere, importThere } from '../shared/remote/remote-transfer.js';
import { parse } from './args.js';
import type { Io } from './commands.js';
import { terminalHooks } from './transfer-commands.js';

/** Ctrl-C cancels; a terminal sees the bytes that crossed, as a local transfer's. */
async function withHooks<T>(work: (hooks: TransferHooks) => Promise<T>): Promise<T> {
  const h = terminalHooks();
  try {
    return await work({ ...h, progressMs: 250 });
  } finally {
    h.done();
  }
}

export const remoteTransfers: Record<string, (argv: string[], t: RemoteTarget, io: Io) => Promise<number>> = {
  async export(argv, t) {
    const { values, positionals } = parse(argv, { output: { type: 'string', short: 'o' }, force: { type: 'boolean', short: 'f' } });
    if (positionals.length !== 1) throw invalidRequest(`accepts 1 arg(s), received ${positionals.length}`);
    const name = positionals[0]!;
    const toStdout = values.output === undefined || values.output === '-';
    if (toStdout) {
      if (process.stdout.isTTY) throw invalidRequest('refusing to write an archive to a terminal: give --output FILE or pipe it somewhere');
      await withHooks((hooks) => exportThere(t, name, process.stdout, hooks));
      return 0;
    }
    const path = resolve(String(values.output));
    if (existsSync(path) && values.force !== true) throw archiveExists(path);
    // Written beside the file and renamed in only when whole: a broken stream leaves no half archive.
    const partial = join(dirname(path), `.${basename(path)}.partial-${process.pid}`);
    const out = createWriteStream(partial, { fd: openSync(partial, 'wx', 0o644) });
    try {
      await withHooks((hooks) => exportThere(t, name, out, hooks));
      if (!out.writableFinished) await new Promise<void>((r) => out.once('finish', () => r()));
      renameSync(partial, path);
      return 0;
    } finally {
      out.destroy();
      rmSync(partial, { force: true });
    }
  },

  async import(argv, t) {
    const { values, positionals } = parse(argv, { replace: { type: 'boolean' } });
    if (positionals.length !== 2) throw invalidRequest(`accepts 2 arg(s), received ${positionals.length}`);
    const [name, file] = positionals as [string, string];
    const input = file === '-' ? process.stdin : createReadStream(resolve(file));
    const size = file === '-' ? undefined : statSync(resolve(file)).size;
    await withHooks((hooks) => importThere(t, name, input, { replace: values.replace === true, ...(size ? { size } : {}) }, hooks));
    return 0;
  },
};
