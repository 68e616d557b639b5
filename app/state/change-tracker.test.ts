import { describe, expect, it } from 'vitest';
import { trackChanges } from './change-tracker.js';
import type { VolumeRecord } from './schema.js';

const rec = (name: string, extra: Partial<VolumeRecord> = {}): VolumeRecord => ({ name, driver: 'local', options: { type: 'tmpfs' }, labels: {}, createdAt: 'T', mountCount: 0, ...extra });
const store = () => ({ a: rec('a'), b: rec('b', { holders: { x: 1 } }), c: rec('c') }) as Record<string, VolumeRecord>;

describe('trackChanges', () => {
  it('notes nothing for reads, however deep, and keeps identities', () => {
    const real = store();
    const t = trackChanges(real);
    void Object.values(t.volumes).map((r) => [r.options.type, r.holders?.x, Object.keys(r.labels)]);
    for (const name in t.volumes) void t.volumes[name]!.mountCount;
    expect(t.volumes.a).toBe(t.volumes.a);
    expect(t.volumes.b!.holders).toBe(t.volumes.b!.holders);
    expect(JSON.parse(JSON.stringify(t.volumes))).toEqual(store());
    expect([...t.touched]).toEqual([]);
  });

  it('notes every way a change can write: a field, a nested map, an added, a removed and a renamed volume', () => {
    const real = store();
    const t = trackChanges(real);
    t.volumes.a!.mountCount = 1;
    delete t.volumes.b!.holders!.x;
    t.volumes.d = rec('d');
    t.volumes.e = { ...t.volumes.c!, name: 'e' };
    delete t.volumes.c;
    expect([...t.touched].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(real.a!.mountCount).toBe(1);
    expect(real.b!.holders).toEqual({});
    expect(Object.keys(real).sort()).toEqual(['a', 'b', 'd', 'e']);
  });

  it('stores the objects themselves, never the proxies a change saw', () => {
    const real = store();
    const t = trackChanges(real);
    t.volumes.z = t.volumes.a!;
    t.volumes.c!.options = t.volumes.b!.options;
    Object.defineProperty(t.volumes, 'y', { value: t.volumes.b, enumerable: true, writable: true, configurable: true });
    expect(real.z).toBe(real.a);
    expect(real.c!.options).toBe(real.b!.options);
    expect(real.y).toBe(real.b);
    expect([...t.touched].sort()).toEqual(['c', 'y', 'z']);
  });

  it('notes a write made through a nested object reached from a record', () => {
    const t = trackChanges(store());
    const labels = t.volumes.c!.labels;
    labels.team = 'db';
    Object.assign(t.volumes.a!.options, { size: '1m' });
    expect([...t.touched].sort()).toEqual(['a', 'c']);
  });
});
