// A volume's directory in the state directory (podman's volumes/NAME, with _data inside), as
// the drivers whose volumes live there make and delete it: as the user who runs the engine,
// never root through elevation.

import { chownSync, mkdirSync, rmSync } from 'node:fs';
import { volumeInUse } from '../errors/catalogue.js';
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
