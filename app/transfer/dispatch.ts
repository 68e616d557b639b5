// The transfer wing's side of the contract. Every front end that runs an export or an import
// (Electron's IPC, the browser host's routes, the command line) comes through here, as every
// other operation comes through handlers.ts's dispatch: the request is checked by the
// contract's parsers before anything else, the work runs under the front end's runner (a
// window's transfers, with their events and cancel; a terminal's progress line and Ctrl-C),
// and the answer is an envelope. Where the bytes go or come from is the front end's to say,
// once the request is known good: a file, or a stream of its own.

import { createReadStream, createWriteStream, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { Envelope, ImportRequest, TransferRequest } from '../api/contract.js';
import { importRequest, transferRequest } from '../api/parsers.js';
import type { ExportOutcome, ImportOutcome } from '../api/types.js';
import { toGuided } from '../errors/guided-error.js';
import type { TransferHooks } from './transfer-progress.js';
import type { VolumeEngine } from '../volume/engine.js';
import { exportToFile, importFromFile } from './archive-files.js';
import { exportVolume, importVolume } from './transfer.js';

/** Where an export goes: a file (replaced only with `overwrite`), or the front end's stream. */
export type ExportTo = { file: string; overwrite: boolean } | { stream: Writable };
/** Where an import comes from: a file, or the front end's stream, its size where known and its name for messages. */
export type ImportFrom = { file: string } | { stream: Readable; size?: number; label?: string };

/**
 * A volume's transfers where its engine is not this process's (another machine's, over SSH):
 * the front end gives them, and they take the place of this engine's export and import.
 */
export interface ElsewhereTransfers {
  /** Writes the archive into `out` and ends it once whole. */
  export(name: string, out: Writable, hooks: TransferHooks): Promise<ExportOutcome>;
  import(name: string, input: Readable, opts: { replace: boolean; size?: number }, hooks: TransferHooks): Promise<ImportOutcome>;
}

/** An export elsewhere into a file here: written beside it and renamed in only when whole. */
async function exportElsewhereToFile(elsewhere: ElsewhereTransfers, name: string, file: string, hooks: TransferHooks): Promise<ExportOutcome> {
  const partial = join(dirname(file), `.${basename(file)}.partial-${process.pid}`);
  const out = createWriteStream(partial, { fd: openSync(partial, 'wx', 0o644) });
  try {
    const outcome = await elsewhere.export(name, out, hooks);
    if (!out.writableFinished) await new Promise<void>((r) => out.once('finish', () => r()));
    renameSync(partial, file);
    return outcome;
  } finally {
    out.destroy();
    rmSync(partial, { force: true });
  }
}

/** Runs one transfer's work with the hooks of whoever watches it, its outcome as an envelope (Transfers.run's shape). */
export type TransferRunner = <T>(id: string, name: string, op: 'export' | 'import', work: (hooks: TransferHooks) => Promise<T>) => Promise<Envelope<T>>;

const refused = (err: unknown) => ({ ok: false as const, error: toGuided(err, 'INVALID_REQUEST').toJSON() });

/**
 * Export for a window: `raw` is checked as the contract's export request, then `to` says
 * where it goes, or null where the person chose nowhere (a dialog closed), answered as null.
 */
export async function dispatchExport(engine: VolumeEngine, run: TransferRunner, raw: unknown, to: (request: TransferRequest) => Promise<ExportTo | null>, elsewhere?: ElsewhereTransfers): Promise<Envelope<ExportOutcome | null>> {
  let request: TransferRequest;
  let where: ExportTo | null;
  try {
    request = transferRequest(raw, 'export');
    where = await to(request);
  } catch (err) {
    return refused(err);
  }
  if (!where) return { ok: true, value: null };
  const { name, id } = request;
  const target = where;
  if (elsewhere) return run(id, name, 'export', (hooks) => ('file' in target ? exportElsewhereToFile(elsewhere, name, target.file, hooks) : elsewhere.export(name, target.stream, hooks)));
  return run(id, name, 'export', (hooks) => ('file' in target ? exportToFile(engine, name, target.file, { ...hooks, overwrite: target.overwrite }) : exportVolume(engine, name, target.stream, hooks)));
}

/** Import for a window: `raw` is checked as the contract's import request, then `from` says where the archive is. */
export async function dispatchImport(engine: VolumeEngine, run: TransferRunner, raw: unknown, from: (request: ImportRequest) => ImportFrom, elsewhere?: ElsewhereTransfers): Promise<Envelope<ImportOutcome>> {
  let request: ImportRequest;
  let source: ImportFrom;
  try {
    request = importRequest(raw, 'import');
    source = from(request);
  } catch (err) {
    return refused(err);
  }
  const { name, id, replace } = request;
  if (elsewhere) {
    return run(id, name, 'import', (hooks) => {
      const input = 'file' in source ? createReadStream(source.file) : source.stream;
      const size = 'file' in source ? statSync(source.file).size : source.size;
      return elsewhere.import(name, input, { replace, ...(size !== undefined ? { size } : {}) }, hooks);
    });
  }
  return run(id, name, 'import', (hooks) =>
    'file' in source
      ? importFromFile(engine, name, source.file, { ...hooks, replace })
      : importVolume(engine, name, source.stream, { ...hooks, replace, file: source.label ?? 'ARCHIVE.tar', ...(source.size !== undefined ? { size: source.size } : {}) }),
  );
}
