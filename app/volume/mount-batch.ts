// The counter at work, once the engine holds the locks of the volumes in a batch: only the
// first mount and the last unmount reach a driver, each driver gets all of its volumes of the
// batch in one call (one password prompt at most), and the counts are written in one update
// of the store. A write that fails after a mount is undone where it can be, or said.

import type { BatchItem, MountOutcome, UnmountOutcome } from '../api/types.js';
import type { VolumeDriver } from '../drivers/driver.js';
import { holderUnknown, volumeHeld, volumeNotFound } from '../errors/catalogue.js';
import { toGuided } from '../errors/guided-error.js';
import { heldMounts, type StateData, type VolumeRecord } from '../state/schema.js';
import { faultPoint } from '../system/fault-points.js';
import { byDriver, type VolumeCore } from './core.js';
import { holdersText } from './holders-text.js';
import { mountNotRecorded, unmountNotRecorded } from './record-failure.js';

/**
 * The engine's mount once it holds the locks of `unique` (each name once, checked). With
 * `holder` (a container's mount through the plugin server, its ID checked), each count it adds
 * is recorded as that holder's, in the same write. The records it reads are the store's
 * shared snapshot (a stat when nothing was written since), never changed here: the counts
 * change only in the store's update.
 */
export async function mountBatch(core: VolumeCore, unique: string[], holder?: string): Promise<BatchItem<MountOutcome>[]> {
  const state = core.store.snapshot();
  const table = core.table();
  const items = new Map<string, BatchItem<MountOutcome>>();
  /** The count each volume has before this call, for those this call counts. */
  const before = new Map<string, number>();
  const first: VolumeRecord[] = [];
  for (const name of unique) {
    const rec = state.volumes[name];
    if (!rec) items.set(name, { name, ok: false, error: volumeNotFound(name).toJSON() });
    else {
      const view = core.view(rec, table);
      if (view.NeedsMount && !view.Mounted) first.push(rec);
      // A plain directory is always there: as podman, a mount of it counts nothing. A
      // container's hold is counted all the same, so that nothing removes it from under one.
      else if (!view.NeedsMount && holder === undefined) items.set(name, { name, ok: true, value: { Mountpoint: view.Mountpoint, MountCount: view.MountCount } });
      else before.set(name, view.MountCount);
    }
  }
  faultPoint('mount:before-system');
  const mountpoints = new Map<string, string>();
  const mountedBy = new Map<VolumeDriver, VolumeRecord[]>();
  for (const [driver, recs] of byDriver(first, (r) => core.driverOf(r))) {
    for (const [name, r] of await driver.mount(recs)) {
      if (!r.ok) {
        items.set(name, { name, ok: false, error: r.error.toJSON() });
        continue;
      }
      mountpoints.set(name, r.value);
      before.set(name, 0);
      mountedBy.set(driver, [...(mountedBy.get(driver) ?? []), recs.find((x) => x.name === name)!]);
    }
  }
  faultPoint('mount:after-system');
  try {
    // Nothing to count (every volume failed): the state is left as it is, not rewritten.
    if (before.size) await core.store.update((data) => countMounts(core, data, before, mountpoints, items, holder));
  } catch (err) {
    const undone = new Set<string>();
    for (const [driver, recs] of mountedBy) for (const name of await driver.undoMounts(recs)) undone.add(name);
    const e = toGuided(err);
    for (const name of before.keys()) {
      const left = !mountpoints.has(name) ? 'unchanged' : undone.has(name) ? 'undone' : 'left-mounted';
      items.set(name, { name, ok: false, error: mountNotRecorded(e, name, left) });
    }
  }
  return unique.map((n) => items.get(n) ?? { name: n, ok: false, error: volumeNotFound(n).toJSON() });
}

/**
 * Records the mounts of one call, inside the store's update: each count of `before` plus
 * one, and where a first mount happened, the mountpoint its driver reported, kept until the
 * last unmount.
 */
function countMounts(core: VolumeCore, data: StateData, before: Map<string, number>, mountpoints: Map<string, string>, items: Map<string, BatchItem<MountOutcome>>, holder: string | undefined): void {
  for (const [name, count] of before) {
    const rec = data.volumes[name];
    if (!rec) continue;
    rec.mountCount = count + 1;
    if (holder !== undefined) (rec.holders ??= {})[holder] = (rec.holders[holder] ?? 0) + 1;
    const mp = mountpoints.get(name);
    if (mp !== undefined) rec.mountpoint = mp;
    items.set(name, { name, ok: true, value: { Mountpoint: core.driverOf(rec).mountpoint(rec), MountCount: rec.mountCount } });
  }
}

/**
 * The engine's unmount once it holds the locks of `unique` (each name once, checked). With
 * `holder`, only a count that holder holds is given back, and an ID holding none is refused
 * and lowers nothing. Without it (the window, the command line), the counts containers hold
 * are not theirs to give back: an unmount that would take one is refused, naming the holders,
 * unless forced, which ends every hold.
 */
export async function unmountBatch(core: VolumeCore, unique: string[], force: boolean, holder?: string): Promise<BatchItem<UnmountOutcome>[]> {
  const state = core.store.snapshot();
  const table = core.table();
  const items = new Map<string, BatchItem<UnmountOutcome>>();
  const target = new Map<string, number>();
  const last: VolumeRecord[] = [];
  const proven = new Set<string>();
  for (const name of unique) {
    const rec = state.volumes[name];
    if (!rec) {
      items.set(name, { name, ok: false, error: volumeNotFound(name).toJSON() });
      continue;
    }
    const view = core.view(rec, table);
    const held = heldMounts(rec);
    if (holder !== undefined && !rec.holders?.[holder]) {
      items.set(name, { name, ok: false, error: holderUnknown(name, holder).toJSON() });
      continue;
    }
    if (holder === undefined && !force && held > 0 && view.MountCount > 0 && view.MountCount <= held) {
      items.set(name, { name, ok: false, error: volumeHeld(name, holdersText(rec.holders!)).toJSON() });
      continue;
    }
    // Nothing to give back: a plain directory's own mounts are not counted (see mountBatch).
    if (!force && holder === undefined && !view.NeedsMount && view.MountCount <= held) {
      items.set(name, { name, ok: true, value: { MountCount: view.MountCount } });
      continue;
    }
    const next = force ? 0 : Math.max(0, view.MountCount - 1);
    target.set(name, next);
    if (core.driverOf(rec).mountState(rec, table).proven) proven.add(name);
    if (next === 0 && view.NeedsMount && view.Mounted) last.push(rec);
  }
  faultPoint('unmount:before-system');
  const unmounted = new Set<string>();
  for (const [driver, recs] of byDriver(last, (r) => core.driverOf(r))) {
    for (const [name, r] of await driver.unmount(recs, force)) {
      if (r.ok) unmounted.add(name);
      else {
        target.delete(name);
        items.set(name, { name, ok: false, error: r.error.toJSON() });
      }
    }
  }
  faultPoint('unmount:after-system');
  try {
    if (target.size) await core.store.update((data) => countUnmounts(data, target, items, holder));
  } catch (err) {
    const e = toGuided(err);
    for (const name of target.keys()) {
      const left = !unmounted.has(name) ? 'unchanged' : proven.has(name) ? 'unmounted' : 'plugin-unmounted';
      items.set(name, { name, ok: false, error: unmountNotRecorded(e, name, left) });
    }
  }
  return unique.map((n) => items.get(n)!);
}

/** Records the counts an unmount call leaves, and the hold it ends; inside the store's update. */
function countUnmounts(data: StateData, target: Map<string, number>, items: Map<string, BatchItem<UnmountOutcome>>, holder: string | undefined): void {
  for (const [name, next] of target) {
    const rec = data.volumes[name];
    if (!rec) continue;
    rec.mountCount = next;
    if (holder !== undefined && rec.holders?.[holder]) {
      if (--rec.holders[holder] === 0) delete rec.holders[holder];
    }
    if (next === 0 || (rec.holders && Object.keys(rec.holders).length === 0)) delete rec.holders;
    if (next === 0) delete rec.mountpoint;
    items.set(name, { name, ok: true, value: { MountCount: next } });
  }
}
