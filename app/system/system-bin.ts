// Where a root process finds mount and umount: the system's own directories, in the order the
// root script's PATH names them, never a PATH entry of whoever started this process. A
// toolchain's bin or a version manager's shims early in root's PATH are not where mount
// lives, and each costs a failed exec on every call before the right one. findProgram is the
// lookup itself, also for asking whether a command is on a PATH (main/shared/command-line.ts).

import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

export const SYSTEM_DIRS = ['/usr/sbin', '/usr/bin', '/sbin', '/bin'] as const;

/** The path of the first executable `name` in `dirs` (relative ones skipped), or null. */
export function findProgram(name: string, dirs: readonly string[]): string | null {
  for (const dir of dirs) {
    if (!dir.startsWith('/')) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      /* not here */
    }
  }
  return null;
}

const found = new Map<string, string>();

/**
 * The absolute path of the program `name` in `dirs`, looked up once per process; the bare
 * name where none holds it, so that running it fails as a missing program does.
 */
export function systemBin(name: string, dirs: readonly string[] = SYSTEM_DIRS): string {
  const key = `${dirs.join(':')}/${name}`;
  let path = found.get(key);
  if (path === undefined) found.set(key, (path = findProgram(name, dirs) ?? name));
  return path;
}
