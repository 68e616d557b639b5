// Where a root process finds mount and umount: the system's own directories, in the order the
// root script's PATH names them, never a PATH entry of whoever started this process. A
// toolchain's bin or a version manager's shims early in root's PATH are not where mount
// lives, and each costs a failed exec on every call before the right one.

import { accessSync, constants } from 'node:fs';

export const SYSTEM_DIRS = ['/usr/sbin', '/usr/bin', '/sbin', '/bin'] as const;

const found = new Map<string, string>();

/**
 * The absolute path of the program `name` in `dirs`, looked up once per process; the bare
 * name where none holds it, so that running it fails as a missing program does.
 */
export function systemBin(name: string, dirs: readonly string[] = SYSTEM_DIRS): string {
  const key = `${dirs.join(':')}/${name}`;
  let path = found.get(key);
  if (path === undefined) {
    path = name;
    for (const dir of dirs) {
      try {
        accessSync(`${dir}/${name}`, constants.X_OK);
        path = `${dir}/${name}`;
        break;
      } catch {
        /* not here */
      }
    }
    found.set(key, path);
  }
  return path;
}
