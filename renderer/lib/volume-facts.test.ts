import { describe, expect, it } from 'vitest';
import type { VolumeInspect } from '../../app/api/types.js';
import { createdOf, filterVolumes, mountOptionsOf, sortVolumes, sourceOf, statusOf, unmountEffect, usageOf, usedByOf } from './volume-facts.js';

const view = (patch: Partial<VolumeInspect>): VolumeInspect => ({
  Name: 'v',
  Driver: 'local',
  Mountpoint: '/m',
  CreatedAt: 't',
  Labels: {},
  Options: {},
  Scope: 'local',
  MountCount: 0,
  Mounted: false,
  MountAt: 'manual',
  NeedsMount: true,
  Kind: 'tmpfs',
  ...patch,
});

describe('what a row shows', () => {
  it('status: a plugin\'s trouble first, then a corrected counter, then the mount', () => {
    expect(statusOf(view({ Plugin: { State: 'missing' }, Mounted: true }))).toBe('plugin missing');
    expect(statusOf(view({ Plugin: { State: 'not-answering' } }))).toBe('plugin not answering');
    expect(statusOf(view({ Reconciled: 'x', Mounted: true }))).toBe('stale');
    expect([statusOf(view({ Mounted: true })), statusOf(view({}))]).toEqual(['mounted', 'not mounted']);
    // A plain directory is there whenever it is asked for: nothing to mount, nothing to press.
    expect(statusOf(view({ NeedsMount: false, Kind: 'directory' }))).toBe('always ready');
  });

  it('source: the plugin, the device, the type, or a plain directory', () => {
    expect([sourceOf(view({ Driver: 'p' })), sourceOf(view({ Options: { device: '/img', type: 'ext4' } })), sourceOf(view({ Options: { type: 'tmpfs' } })), sourceOf(view({}))]).toEqual(['p', '/img', 'tmpfs', '(directory)']);
  });

  it('what Unmount does: nothing to say at a count of 1; above it, the count it leaves and that the volume stays', () => {
    expect([unmountEffect(view({ MountCount: 0 })), unmountEffect(view({ MountCount: 1, Mounted: true }))]).toEqual([null, null]);
    expect(unmountEffect(view({ Name: 'scratch', MountCount: 3, Mounted: true }))).toBe('Mounted 3 times: Unmount lowers the count to 2 and scratch stays mounted until the last Unmount. Force unmount detaches it now.');
  });

  it("the space used in the window's one convention, as transfers and removals say it", () => {
    expect(usageOf(view({ Usage: { Used: 2 * 1024 * 1024, Size: 16 * 1024 * 1024 } }))).toBe('2.1 MB of 17 MB');
  });
});

describe('sorting and filtering', () => {
  const list = [view({ Name: 'b', MountCount: 2, Kind: 'nfs' }), view({ Name: 'a', MountCount: 2, Mounted: true }), view({ Name: 'c', MountCount: 1, Options: { device: '/srv/x' } })];
  it('sorts by the key, then by name, both ways', () => {
    expect(sortVolumes(list, 'count', false).map((v) => v.Name)).toEqual(['c', 'a', 'b']);
    expect(sortVolumes(list, 'count', true).map((v) => v.Name)).toEqual(['b', 'a', 'c']);
  });
  it('filters by text in the name or source, kind and status together', () => {
    expect(filterVolumes(list, { text: 'SRV', kind: '', status: '', label: '' }).map((v) => v.Name)).toEqual(['c']);
    expect(filterVolumes(list, { text: '', kind: 'tmpfs', status: 'mounted', label: '' }).map((v) => v.Name)).toEqual(['a']);
    expect(filterVolumes(list, { text: '', kind: '', status: '', label: '' })).toBe(list);
  });
  it("filters by a label as podman's --filter label= does: key, or key=value", () => {
    const labelled = [view({ Name: 'x', Labels: { team: 'db', env: '' } }), view({ Name: 'y', Labels: { team: 'web' } }), view({ Name: 'z' })];
    const by = (label: string) => filterVolumes(labelled, { text: '', kind: '', status: '', label }).map((v) => v.Name);
    expect([by('team'), by('team=db'), by(' env '), by('env='), by('nobody')]).toEqual([['x', 'y'], ['x'], ['x'], ['x'], []]);
  });
  it('sorts by when it was created, the space used and the source too', () => {
    const three = [view({ Name: 'old', CreatedAt: '2026-01-01T00:00:00Z', Usage: { Used: 5, Size: 9 } }), view({ Name: 'new', CreatedAt: '2026-06-01T00:00:00Z' }), view({ Name: 'mid', CreatedAt: '2026-03-01T00:00:00Z', Usage: { Used: 50, Size: 90 }, Options: { device: '/a' } })];
    expect(sortVolumes(three, 'created', true).map((v) => v.Name)).toEqual(['new', 'mid', 'old']);
    expect(sortVolumes(three, 'used', true).map((v) => v.Name)).toEqual(['mid', 'old', 'new']);
    expect(sortVolumes(three, 'source', false).map((v) => v.Name)).toEqual(['new', 'old', 'mid']);
  });

  it('shows the mount options as set: o= with size, uid and gid beside it, and a plugin\'s own', () => {
    const local = (options: Record<string, string>) => ({ Driver: 'local', Options: options }) as unknown as Parameters<typeof mountOptionsOf>[0];
    expect(mountOptionsOf(local({ type: 'tmpfs', size: '16m' }))).toBe('size=16m');
    expect(mountOptionsOf(local({ type: 'tmpfs', size: '16m', o: 'mode=0750' }))).toBe('size=16m, mode=0750');
    expect(mountOptionsOf(local({ type: 'bind', device: '/srv' }))).toBe('(none)');
    expect(mountOptionsOf({ Driver: 'sync', Options: { type: 'nfs', share: 'x' } } as unknown as Parameters<typeof mountOptionsOf>[0])).toBe('type=nfs, share=x');
  });
});

describe('who of the containers holds a volume', () => {
  it('counts Docker containers, names podman, and says nothing when none hold it', () => {
    expect(usedByOf(undefined)).toBe('');
    expect(usedByOf([{ ID: 'a', Mounts: 1, Engine: 'docker' }])).toBe('used by 1 Docker container');
    expect(usedByOf([{ ID: 'a', Mounts: 1, Engine: 'docker' }, { ID: 'b', Mounts: 2, Engine: 'docker' }])).toBe('used by 3 Docker containers');
    expect(usedByOf([{ ID: 'p', Mounts: 1, Engine: 'podman' }, { ID: 'a', Mounts: 1, Engine: 'docker' }])).toBe("used by podman's containers and 1 Docker container");
  });

  it('writes when it was created as the locale does, with the time where asked, and nothing for a date it cannot read', () => {
    const at = '2026-03-04T05:06:07.123456789Z';
    const t = Date.parse(at);
    expect(createdOf(view({ CreatedAt: at }))).toBe(new Date(t).toLocaleString(undefined, { dateStyle: 'medium' }));
    expect(createdOf(view({ CreatedAt: at }), true)).toBe(new Date(t).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }));
    expect(createdOf(view({ CreatedAt: at }))).not.toBe(createdOf(view({ CreatedAt: at }), true));
    expect(createdOf(view({ CreatedAt: 'yesterday' }))).toBe('');
  });
});
