// Where the command line keeps V8's code cache of its bundle, and whether a cache file found
// there may be used. Node 20 has no module compile cache of its own (module.enableCompileCache
// came in Node 22), and the bundle's compile and first run are most of what a verb costs above
// a bare Node start.
//
// Cached data is code: V8 checks only the source's length and its own version and flags, not
// a signature. A file another user could have written would run as this process, so a cache
// is read only from a folder and a file this user owns and nobody else may write (root's own
// under sudo, never the invoking user's). The key holds the bundle's size and time and Node's
// version, so another build or another Node never meets an old cache; its path names the install.

import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface CacheSpot {
  dir: string;
  file: string;
  /** The start of every cache file name of this install: the caches its earlier builds left. */
  install: string;
}

/**
 * FNV-1a of the bundle's path: two installs of one user (a release and a checkout, or another
 * machine's copy run over SSH into the same home) keep a cache each instead of replacing each
 * other's at every run. Not a security boundary: what a cache holds is trusted by its owner only.
 */
function installTag(path: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) h = Math.imul(h ^ path.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The cache file for the bundle at `path` (and its stat), under the user's cache folder. */
export function cacheSpot(path: string, bundle: Pick<Stats, 'size' | 'mtimeMs'>, env: NodeJS.ProcessEnv = process.env, home = homedir()): CacheSpot {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(home, '.cache');
  const dir = join(base, 'volume-manager', 'code-cache');
  const install = `cli-${installTag(path)}-`;
  return { dir, file: join(dir, `${install}${bundle.size}-${Math.trunc(bundle.mtimeMs)}-${process.version}-${process.arch}.v8`), install };
}

/**
 * Whether a file of the cache folder can never be used again once `spot` is written: an earlier
 * build of the same install, or a name from before caches were kept per install.
 */
export const outdated = (name: string, spot: CacheSpot): boolean => (name.startsWith(spot.install) && !spot.file.endsWith(`/${name}`)) || /^cli-\d+-\d+-v/.test(name);

/** Owned by `uid`, a plain file or folder as expected (no symlink), and writable by nobody else. */
export function ownedAlone(st: Pick<Stats, 'uid' | 'mode' | 'isFile' | 'isDirectory' | 'isSymbolicLink'>, uid: number, kind: 'file' | 'dir'): boolean {
  if (st.isSymbolicLink() || (kind === 'file' ? !st.isFile() : !st.isDirectory())) return false;
  return st.uid === uid && (st.mode & 0o022) === 0;
}

/**
 * The cache at `spot` when the user `uid` alone owns and may write it and its folder, else
 * undefined. The file is judged by what was opened (no symlink followed at its name), not by
 * a look before: a folder swapped between the two cannot hand over another file.
 */
export function readTrusted(spot: Pick<CacheSpot, 'dir' | 'file'>, uid: number): Buffer | undefined {
  let fd: number | undefined;
  try {
    if (!ownedAlone(lstatSync(spot.dir), uid, 'dir')) return undefined;
    fd = openSync(spot.file, constants.O_RDONLY | constants.O_NOFOLLOW);
    const st = fstatSync(fd);
    return ownedAlone({ uid: st.uid, mode: st.mode, isFile: () => st.isFile(), isDirectory: () => false, isSymbolicLink: () => false }, uid, 'file') ? readFileSync(fd) : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
