// Who runs tar for an export or an import. Root only where it must: the app as root does
// everything itself; otherwise a volume the user may read (export) or write (import) is
// handled with the user's own rights, without a password prompt. Only a tmpfs, whose data
// root made for the volume, goes through polkit where the user cannot reach it, and the root
// script checks that itself (archive-script.ts). A bind, a device or an export holds the
// caller's data, which the caller reads and writes with its own rights or not at all.

import { accessSync, constants } from 'node:fs';
import type { ArchiveMode } from './archive-script.js';
import { ELEVATED_ROOT } from '../system/elevated-targets.js';
import { execArgv } from '../system/exec-argv.js';

/** The first entry under `dir` this user cannot read (or enter); null when there is none. */
export async function firstUnreadable(dir: string): Promise<string | null> {
  const r = await execArgv('find', [dir, '(', '!', '-readable', '-o', '-type', 'd', '!', '-executable', ')', '-print', '-quit']);
  return r.code === 0 && r.stdout.trim() === '' ? null : r.stdout.trim() || dir;
}

/** `rootMade`: the volume is a tmpfs, whose data root made for it (no one's data elsewhere). */
export async function archiveModeFor(mountpoint: string, op: 'export' | 'import', rootMade: boolean): Promise<ArchiveMode> {
  if (process.geteuid?.() === 0 || !rootMade || !mountpoint.startsWith(`${ELEVATED_ROOT}/`)) return 'self';
  if (op === 'import') {
    try {
      accessSync(mountpoint, constants.W_OK | constants.X_OK);
      return 'self';
    } catch {
      return 'elevated';
    }
  }
  return (await firstUnreadable(mountpoint)) === null ? 'self' : 'elevated';
}
