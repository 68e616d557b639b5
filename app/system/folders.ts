// The folders under one folder, for the bind form's folder picker. It runs as the app's
// user, never elevated, so it shows what that user may read; it lists names only (no file
// contents, no files), and the path comes back resolved so the form shows where it points.

import { readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { FolderListing } from '../api/types.js';
import { folderUnreadable, invalidRequest } from '../errors/catalogue.js';
import { startFolder } from './start-folder.js';

/** A folder with more children than this is shown cut, with `truncated` set. */
export const MAX_FOLDERS = 2000;
const MAX_PATH = 4096;
/**
 * As file managers sort: case aside, and "disk10" after "disk9". Made on first use: an ICU
 * collator costs several milliseconds, and every command-line start imports this module.
 */
let byName: Intl.Collator | undefined;

function checkedPath(path: string | undefined): string {
  if (path === undefined || path === '') return startFolder();
  if (path.length > MAX_PATH || path.includes('\0')) throw invalidRequest(`folder.list.path: not a usable path (${path.length} characters)`);
  if (!isAbsolute(path)) throw invalidRequest(`folder.list.path: ${JSON.stringify(path)} is not an absolute path`);
  return path;
}

/** Whether `entry` in `dir` is a folder, following a symbolic link as the mount would. */
function isFolder(dir: string, entry: { name: string; isDirectory(): boolean; isSymbolicLink(): boolean }): boolean {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return statSync(join(dir, entry.name)).isDirectory();
  } catch {
    return false;
  }
}

/** Lists the folders in `path` (the user's home when none is given), sorted as a file manager does. */
export function listFolders(path?: string): FolderListing {
  const asked = checkedPath(path);
  let real: string;
  let entries;
  try {
    real = realpathSync(asked);
    entries = readdirSync(real, { withFileTypes: true });
  } catch (err) {
    throw folderUnreadable(asked, (err as Error).message);
  }
  const names = entries.filter((e) => isFolder(real, e)).map((e) => e.name);
  byName ??= new Intl.Collator('en', { sensitivity: 'base', numeric: true });
  names.sort(byName.compare);
  return {
    path: real,
    ...(real === '/' ? {} : { parent: dirname(real) }),
    folders: names.slice(0, MAX_FOLDERS),
    truncated: names.length > MAX_FOLDERS,
  };
}
