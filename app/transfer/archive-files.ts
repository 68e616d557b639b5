// Export to and import from a file on the machine the engine runs on: what the command line's
// FILE, the window's native dialogs and the contract's path mean. An export never leaves a
// half-written file under the chosen name and never replaces a file unless told to: it writes
// beside it under a hidden name and links (or, when replacing, renames) it into place.

import { crypto } from '../system/crypto-lazy.js';
import { link, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';
import type { ExportOutcome, ImportOutcome } from '../api/types.js';
import { archiveExists, archiveTruncated, archiveUnreadable, compressedArchive } from './archive-errors.js';
import { compressionOf, looksLikeTar } from './archive-guard.js';
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
  const temp = join(dirname(path), `.${basename(path)}.partial-${crypto().randomBytes(4).toString('hex')}`);
  const handle = await open(temp, 'wx').catch((e: NodeJS.ErrnoException) => {
    throw invalidRequest(`cannot write ${path}: ${e.code === 'ENOENT' ? 'its folder does not exist' : e.message}`);
  });
  const out = handle.createWriteStream();
  try {
    const outcome = await exportVolume(engine, name, out, { ...opts, file: path, directPath: temp });
    // Unused where tar wrote the file itself; closed before the file is put in place.
    if (!out.closed) await new Promise<void>((r) => out.destroy().once('close', () => r()));
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
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw invalidRequest(`cannot import ${path}: it is a folder, not an archive`);
    if (!info.isFile()) {
      // A FIFO or a device: read once, as a stream, checked on the way (archive-guard.ts).
      const source = handle.createReadStream({ autoClose: false });
      try {
        return await importVolume(engine, name, source, { ...opts, file: path });
      } finally {
        source.destroy();
      }
    }
    await checkArchiveFile(handle, info.size, name, path);
    return await importVolume(engine, name, { fd: handle.fd, size: info.size }, { ...opts, file: path, size: info.size });
  } finally {
    await handle.close();
  }
}

/** What archive-guard.ts checks of a stream, checked of a file before anything is mounted. */
async function checkArchiveFile(handle: FileHandle, size: number, name: string, path: string): Promise<void> {
  const head = Buffer.alloc(Math.min(size, 512));
  await handle.read(head, 0, head.length, 0);
  const compressed = compressionOf(head);
  if (compressed) throw compressedArchive(name, compressed, path);
  const tail = Buffer.alloc(Math.min(size, 1024));
  await handle.read(tail, 0, tail.length, size - tail.length);
  if (size < 1024 || tail.some((b) => b !== 0)) {
    if (size >= 512 && !looksLikeTar(head)) throw archiveUnreadable(name, 'This does not look like a tar archive', path);
    throw archiveTruncated(name, `the archive ends after ${size} bytes without the end marker of a tar archive`);
  }
}
