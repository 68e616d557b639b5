// What Mount selected and Unmount selected do to each volume, and what they say after. A batch
// touches only what needs it: a mounted volume is not mounted again (the row's menu has Mount
// again for that), a plain directory has nothing to mount, and an unmounted one nothing to
// unmount.

import type { BatchItem, MountOutcome, UnmountOutcome, VolumeInspect } from '../../app/api/types.js';

export interface MountPlan {
  run: string[];
  already: string[];
  ready: string[];
}

export interface UnmountPlan {
  run: string[];
  notMounted: string[];
}

const mounted = (v: VolumeInspect) => v.Mounted || v.MountCount > 0;
const list = (names: string[]) => names.join(', ');

export function planMount(volumes: VolumeInspect[]): MountPlan {
  const plan: MountPlan = { run: [], already: [], ready: [] };
  for (const v of volumes) {
    if (mounted(v)) plan.already.push(v.Name);
    else if (!v.NeedsMount && !v.Plugin) plan.ready.push(v.Name);
    else plan.run.push(v.Name);
  }
  return plan;
}

export function planUnmount(volumes: VolumeInspect[]): UnmountPlan {
  const plan: UnmountPlan = { run: [], notMounted: [] };
  for (const v of volumes) (mounted(v) ? plan.run : plan.notMounted).push(v.Name);
  return plan;
}

/** One line per outcome; failures are said by their errors, not here. */
export function mountSaid(plan: MountPlan, items: BatchItem<MountOutcome>[]): string[] {
  const done = items.filter((i) => i.ok);
  const first = done.filter((i) => i.value!.MountCount <= 1).map((i) => i.name);
  // Mounted by someone else between the look and the call: the count says so.
  const raced = done.filter((i) => i.value!.MountCount > 1).map((i) => `${i.name} was mounted meanwhile (count now ${i.value!.MountCount}).`);
  return [
    ...(first.length ? [`Mounted: ${list(first)}.`] : []),
    ...raced,
    ...(plan.already.length ? [`Already mounted, left as they were: ${list(plan.already)}.`] : []),
    ...(plan.ready.length ? [`Always ready (plain directories), nothing to mount: ${list(plan.ready)}.`] : []),
  ];
}

export function unmountSaid(plan: UnmountPlan, items: BatchItem<UnmountOutcome>[]): string[] {
  const done = items.filter((i) => i.ok);
  const off = done.filter((i) => i.value!.MountCount === 0).map((i) => i.name);
  const stays = done.filter((i) => i.value!.MountCount > 0).map((i) => `${i.name} stays mounted (count ${i.value!.MountCount} left).`);
  return [...(off.length ? [`Unmounted: ${list(off)}.`] : []), ...stays, ...(plan.notMounted.length ? [`Not mounted, nothing to do: ${list(plan.notMounted)}.`] : [])];
}
