// The transfer wing's side of the contract. Every front end that runs an export or an import
// (Electron's IPC, the browser host's routes, the command line) comes through here, as every
// other operation comes through handlers.ts's dispatch: the request is checked by the
// contract's parsers before anything else, the work runs under the front end's runner (a
// window's transfers, with their events and cancel; a terminal's progress line and Ctrl-C),
// and the answer is an envelope. Where the bytes go or come from is the front end's to say,
// once the request is known good: a file, or a stream of its own.

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

/** Runs one transfer's work with the hooks of whoever watches it, its outcome as an envelope (Transfers.run's shape). */
export type TransferRunner = <T>(id: string, name: string, op: 'export' | 'import', work: (hooks: TransferHooks) => Promise<T>) => Promise<Envelope<T>>;

const refused = (err: unknown) => ({ ok: false as const, error: toGuided(err, 'INVALID_REQUEST').toJSON() });

/**
 * Export for a window: `raw` is checked as the contract's export request, then `to` says
 * where it goes, or null where the person chose nowhere (a dialog closed), answered as null.
 */
export async function dispatchExport(engine: VolumeEngine, run: TransferRunner, raw: unknown, to: (request: TransferRequest) => Promise<ExportTo | null>): Promise<Envelope<ExportOutcome | null>> {
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
  return run(id, name, 'export', (hooks) => ('file' in target ? exportToFile(engine, name, target.file, { ...hooks, overwrite: target.overwrite }) : exportVolume(engine, name, target.stream, hooks)));
}

/** Import for a window: `raw` is checked as the contract's import request, then `from` says where the archive is. */
export async function dispatchImport(engine: VolumeEngine, run: TransferRunner, raw: unknown, from: (request: ImportRequest) => ImportFrom): Promise<Envelope<ImportOutcome>> {
  let request: ImportRequest;
  let source: ImportFrom;
  try {
    request = importRequest(raw, 'import');
    source = from(request);
  } catch (err) {
    return refused(err);
  }
  const { name, id, replace } = request;
  return run(id, name, 'import', (hooks) =>
    'file' in source
      ? importFromFile(engine, name, source.file, { ...hooks, replace })
      : importVolume(engine, name, source.stream, { ...hooks, replace, file: source.label ?? `${name}.tar`, ...(source.size !== undefined ? { size: source.size } : {}) }),
  );
}
