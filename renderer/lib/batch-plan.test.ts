import { describe, expect, it } from 'vitest';
import type { VolumeInspect } from '../../app/api/types.js';
import { mountSaid, planMount, planUnmount, unmountSaid } from './batch-plan.js';

const v = (Name: string, o: Partial<VolumeInspect>) => ({ Name, Mounted: false, MountCount: 0, NeedsMount: true, ...o }) as VolumeInspect;

describe('what a batch does to each volume', () => {
  it('mounts only what is not mounted and needs a mount, and says so for each', () => {
    const plan = planMount([v('up', { Mounted: true, MountCount: 1 }), v('down', {}), v('dir', { NeedsMount: false }), v('plug', { NeedsMount: false, Plugin: { State: 'ready' } }), v('late', {})]);
    expect(plan).toEqual({ run: ['down', 'plug', 'late'], already: ['up'], ready: ['dir'] });
    const said = mountSaid(plan, [
      { name: 'down', ok: true, value: { Mountpoint: '/m', MountCount: 1 } },
      { name: 'plug', ok: false, error: { code: 'X', title: '', happened: '', why: '', steps: [] } },
      { name: 'late', ok: true, value: { Mountpoint: '/m', MountCount: 2 } },
    ] as never);
    expect(said).toEqual(['Mounted: down.', 'late was mounted meanwhile (count now 2).', 'Already mounted, left as they were: up.', 'Always ready (plain directories), nothing to mount: dir.']);
  });

  it('unmounts only what is mounted, and says which stay mounted under a count', () => {
    const plan = planUnmount([v('a', { MountCount: 1, Mounted: true }), v('b', { MountCount: 2, Mounted: true }), v('c', {})]);
    expect(plan).toEqual({ run: ['a', 'b'], notMounted: ['c'] });
    expect(unmountSaid(plan, [{ name: 'a', ok: true, value: { MountCount: 0 } }, { name: 'b', ok: true, value: { MountCount: 1 } }] as never)).toEqual(['Unmounted: a.', 'b stays mounted (count 1 left).', 'Not mounted, nothing to do: c.']);
  });
});
