import { describe, expect, it } from 'vitest';
import type { MountState, VolumeDriver } from '../drivers/driver.js';
import type { VolumeRecord } from '../state/schema.js';
import type { MountTable } from '../system/mountinfo.js';
import { countedAs, inInspectOrder, matches, toView } from './view.js';

/** Just enough of a driver for a view: its kind, its path, and what the table proves. */
function driver(kind: 'tmpfs' | 'plugin' | 'directory', proven: boolean): VolumeDriver {
  return {
    kind: () => kind,
    mountpoint: (r: VolumeRecord) => `/mnt/${r.name}`,
    mountState: (r: VolumeRecord, t: MountTable): MountState => ({ mounted: proven ? t.has(`/mnt/${r.name}`) : r.mountCount > 0, proven }),
  } as unknown as VolumeDriver;
}
const rec = (mountCount: number, extra: Partial<VolumeRecord> = {}): VolumeRecord => ({ name: 'v', driver: 'local', options: { type: 'tmpfs' }, labels: { team: 'a' }, createdAt: 't', mountCount, ...extra });
const table = (...mounted: string[]): MountTable => ({ has: (p) => mounted.includes(p) });

describe('toView', () => {
  it('trusts the counter where it agrees with the mount table', () => {
    expect(toView(rec(2), driver('tmpfs', true), table('/mnt/v'))).toMatchObject({ MountCount: 2, Mounted: true, Kind: 'tmpfs', NeedsMount: true });
    expect(toView(rec(2), driver('tmpfs', true), table('/mnt/v')).Reconciled).toBeUndefined();
  });

  it('resets a counter with no mount behind it, and adopts a mount no counter records', () => {
    const lost = toView(rec(3), driver('tmpfs', true), table());
    expect(lost).toMatchObject({ MountCount: 0, Mounted: false });
    expect(lost.Reconciled).toMatch(/reset to 0/);
    const orphan = toView(rec(0), driver('tmpfs', true), table('/mnt/v'));
    expect(orphan).toMatchObject({ MountCount: 1, Mounted: true });
    expect(orphan.Reconciled).toMatch(/adopted with a count of 1/);
  });

  it('leaves the counter alone where the table proves nothing (plugins, plain directories)', () => {
    expect(toView(rec(2, { driver: 'p' }), driver('plugin', false), table()).MountCount).toBe(2);
    expect(toView(rec(0, { options: {} }), driver('directory', false), table('/mnt/v'))).toMatchObject({ MountCount: 0, NeedsMount: false });
  });

  it('countedAs is the rule both ways', () => {
    expect([countedAs(0, false), countedAs(3, false), countedAs(0, true), countedAs(3, true)]).toEqual([0, 0, 1, 3]);
  });
});

describe('inInspectOrder', () => {
  it('puts podman\'s keys first in podman\'s order, leaves the empty ones out, then ours', () => {
    const v = { ...toView(rec(0, { driver: 'p', timeout: 3 }), driver('plugin', false), table()), Status: { x: 1 }, Plugin: { State: 'ready' as const } };
    expect(Object.keys(inInspectOrder(v))).toEqual(['Name', 'Driver', 'Mountpoint', 'CreatedAt', 'Status', 'Labels', 'Scope', 'Options', 'MountCount', 'Timeout', 'Mounted', 'MountAt', 'NeedsMount', 'Kind', 'Plugin']);
    const local = { ...toView(rec(0), driver('tmpfs', true), table()), UID: 1000 };
    expect(Object.keys(inInspectOrder(local)).slice(0, 9)).toEqual(['Name', 'Driver', 'Mountpoint', 'CreatedAt', 'Labels', 'Scope', 'Options', 'UID', 'MountCount']);
  });
});

describe('matches', () => {
  const v = toView(rec(1), driver('tmpfs', true), table('/mnt/v'));
  it('ANDs different keys and ORs the values of one, as podman does', () => {
    expect(matches(v, { label: ['team=a'], mounted: true })).toBe(true);
    expect(matches(v, { label: ['team=b'] })).toBe(false);
    expect(matches(v, { driver: ['p', 'local'] })).toBe(true);
    expect(matches(v, { dangling: true })).toBe(false);
  });
});
