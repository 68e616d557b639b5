// A volume's directory in the state directory (podman's volumes/NAME, with _data inside), as
// the drivers whose volumes live there make and delete it: as the user who runs the engine,
// never root through elevation.

import { chownSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { invalidRequest, volumeInUse } from '../errors/catalogue.js';
import { volumeDir, type StateLayout } from '../state/layout.js';
import { stateWriteError } from '../state/write-errors.js';
import { readMountTable } from '../system/mountinfo.js';

/**
 * Makes `dir` (and what is missing above it) and returns the undo of a create whose record
 * could not be saved: it removes only what this call made, never a directory that was there.
 */
export function makeVolumeDir(layout: StateLayout, dir: string, owner?: { uid?: number; gid?: number }): () => unknown {
  let made: string | undefined;
  try {
    made = mkdirSync(dir, { recursive: true, mode: 0o755 });
    if (owner) chownSync(dir, owner.uid ?? -1, owner.gid ?? -1);
  } catch (err) {
    throw stateWriteError(err, layout.dir);
  }
  return () => made && rmSync(made, { recursive: true, force: true });
}

/**
 * Deletes the volume's directory, never through a live mount: a mount anywhere under it, or at
 * `alsoMountedAt` (an elevated target outside it), refuses the removal. Caller holds the lock.
 */
export function removeVolumeDir(layout: StateLayout, name: string, alsoMountedAt?: string): void {
  const dir = volumeDir(layout, name);
  const mounted = readMountTable().some((m) => m.mountpoint === dir || m.mountpoint.startsWith(`${dir}/`) || m.mountpoint === alsoMountedAt);
  if (mounted) throw volumeInUse(name, 1);
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch (err) {
    throw stateWriteError(err, layout.dir);
  }
}

/**
 * Moves volumes/FROM to volumes/TO in one rename(2), never while anything is mounted under it;
 * a directory of the new name that is there already is never replaced. Returns the undo.
 * Caller holds the locks of both names.
 */
export function renameVolumeDir(layout: StateLayout, from: string, to: string): () => unknown {
  const src = volumeDir(layout, from);
  const dst = volumeDir(layout, to);
  if (readMountTable().some((m) => m.mountpoint === src || m.mountpoint.startsWith(`${src}/`))) throw volumeInUse(from, 1);
  if (!existsSync(src)) return () => undefined;
  if (existsSync(dst)) throw invalidRequest(`${dst} is there already, and no volume of that name is recorded; it was left as it is, and nothing was renamed`);
  try {
    renameSync(src, dst);
  } catch (err) {
    throw stateWriteError(err, layout.dir);
  }
  return () => renameSync(dst, src);
}
