// Export to and import from a file on the machine the engine runs on: what the command line's
// FILE, the window's native dialogs and the contract's path mean. An export never leaves a
// half-written file under the chosen name and never replaces a file unless told to: it writes
// beside it under a hidden name and links (or, when replacing, renames) it into place.

import { randomBytes } from 'node:crypto';
import { link, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';
import type { ExportOutcome, ImportOutcome } from '../api/types.js';
import { archiveExists } from '../errors/archive-errors.js';
import { invalidRequest } from '../errors/catalogue.js';
import { exportVolume, importVolume, type ExportOptions, type ImportOptions } from './transfer.js';

function absolute(path: string, what: string): string {
  if (!isAbsolute(path) || path.includes('\0')) throw invalidRequest(`${what} ${JSON.stringify(path)}: expected an absolute path`);
  return path;
}

const exists = (path: string) => stat(path).then((s) => s, () => null);

export async function exportToFile(engine: Parameters<typeof exportVolume>[0], name: string, path: string, opts: ExportOptions & { overwrite?: boolean } = {}): Promise<ExportOutcome> {
  absolute(path, 'export to');
  const before = await exists(path);
  if (before && !opts.overwrite) throw archiveExists(path);
  if (before && !before.isFile()) {
    // A device or a FIFO (/dev/null, a pipe someone reads): written to as it is.
    const out = (await open(path, 'w')).createWriteStream();
    try {
      return await exportVolume(engine, name, out, { ...opts, file: path });
    } finally {
      out.destroy();
    }
  }
  const temp = join(dirname(path), `.${basename(path)}.partial-${randomBytes(4).toString('hex')}`);
  const handle = await open(temp, 'wx').catch((e: NodeJS.ErrnoException) => {
    throw invalidRequest(`cannot write ${path}: ${e.code === 'ENOENT' ? 'its folder does not exist' : e.message}`);
  });
  const out = handle.createWriteStream();
  try {
    const outcome = await exportVolume(engine, name, out, { ...opts, file: path });
    if (opts.overwrite) await rename(temp, path);
    else {
      await link(temp, path).catch((e: NodeJS.ErrnoException) => {
        throw e.code === 'EEXIST' ? archiveExists(path) : e;
      });
      await unlink(temp);
    }
    return outcome;
  } catch (err) {
    out.destroy();
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}

export async function importFromFile(engine: Parameters<typeof importVolume>[0], name: string, path: string, opts: ImportOptions = {}): Promise<ImportOutcome> {
  absolute(path, 'import from');
  const handle = await open(path, 'r').catch((e: NodeJS.ErrnoException) => {
    throw invalidRequest(`cannot read ${path}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  });
  const info = await handle.stat();
  if (info.isDirectory()) {
    await handle.close();
    throw invalidRequest(`cannot import ${path}: it is a folder, not an archive`);
  }
  const source = handle.createReadStream();
  try {
    return await importVolume(engine, name, source, { ...opts, file: path, ...(info.isFile() ? { size: info.size } : {}) });
  } finally {
    source.destroy();
  }
}
