// Reconcile: the counter agrees with the kernel's mount table, both ways, so a crash or an
// outside mount or umount never leaves a lie in the store (view.ts's countedAs decides what
// the table proves).

import type { VolumeInspect } from '../api/types.js';
import { toGuided } from '../errors/guided-error.js';
import { tryAcquire } from '../state/locks.js';
import { volumeLock, type VolumeCore } from './core.js';
import { countedAs } from './view.js';

/**
 * Writes back the counters that views found to disagree with the mount table, both ways.
 * A volume whose lock is held is skipped: the operation in flight will leave it right, and a
 * list must not wait on it. A write that fails (read-only or full state directory) is said
 * in the view's Reconciled, and never fails the list: the view already shows the truth.
 */
export async function saveReconciled(core: VolumeCore, views: VolumeInspect[]): Promise<string[]> {
  const fixed: string[] = [];
  for (const v of views) {
    if (!v.Reconciled) continue;
    try {
      const release = await tryAcquire(core.layout.locksDir, volumeLock(v.Name));
      if (!release) continue;
      try {
        await core.store.update((data) => {
          const rec = data.volumes[v.Name];
          if (!rec) return;
          const { mounted, proven } = core.driverOf(rec).mountState(rec, core.table());
          const counted = proven ? countedAs(rec.mountCount, mounted) : rec.mountCount;
          if (counted === rec.mountCount) return;
          rec.mountCount = counted;
          // Nothing is mounted: what containers held went with the mount (outside, by hand).
          if (counted === 0) delete rec.holders;
          fixed.push(v.Name);
        });
      } finally {
        await release();
      }
    } catch (err) {
      v.Reconciled += `; not saved: ${toGuided(err).happened}`;
    }
  }
  return fixed;
}

/** Reconciles every volume with the mount table; run at start and when the table changes. */
export async function reconcileAll(core: VolumeCore): Promise<string[]> {
  await core.afterReboot();
  const state = core.store.snapshot();
  const table = core.table();
  return saveReconciled(core, Object.values(state.volumes).map((r) => core.view(r, table)));
}
