// Which volumes one store change touched, for the change journal (change-journal.ts): the
// change sees the records map, and every object under a record, through proxies that note the
// volume's name at each write. A name noted for a write that left it as it was costs one record
// in the journal, never a missed change. Only for the duration of one change, inside the
// store's update, under the store lock.

import type { VolumeRecord } from './schema.js';

export interface TrackedVolumes {
  /** The map to hand to the change in place of the real one. */
  volumes: Record<string, VolumeRecord>;
  /** The names written to (added, replaced, removed, or changed anywhere inside). */
  touched: Set<string>;
}

export function trackChanges(real: Record<string, VolumeRecord>): TrackedVolumes {
  const touched = new Set<string>();
  /** Each proxy's own object, so what a change stores is never a proxy. */
  const targets = new WeakMap<object, object>();
  /** One proxy per object and name, so that a record read twice is the same object. */
  const proxies = new Map<string, WeakMap<object, object>>();
  const unwrap = (v: unknown) => (typeof v === 'object' && v !== null ? (targets.get(v) ?? v) : v);

  const under = (name: string, target: object): object => {
    let byTarget = proxies.get(name);
    if (!byTarget) proxies.set(name, (byTarget = new WeakMap()));
    let proxy = byTarget.get(target);
    if (!proxy) {
      proxy = new Proxy(target, {
        get: (t, k, r) => {
          const v: unknown = Reflect.get(t, k, r);
          return typeof v === 'object' && v !== null ? under(name, v) : v;
        },
        set: (t, k, v, r) => (touched.add(name), Reflect.set(t, k, unwrap(v), r)),
        deleteProperty: (t, k) => (touched.add(name), Reflect.deleteProperty(t, k)),
        defineProperty: (t, k, d) => (touched.add(name), Reflect.defineProperty(t, k, 'value' in d ? { ...d, value: unwrap(d.value) } : d)),
      });
      byTarget.set(target, proxy);
      targets.set(proxy, target);
    }
    return proxy;
  };

  const volumes = new Proxy(real, {
    get: (t, k, r) => {
      const v: unknown = Reflect.get(t, k, r);
      return typeof k === 'string' && Object.hasOwn(t, k) && typeof v === 'object' && v !== null ? under(k, v) : v;
    },
    set: (t, k, v, r) => (typeof k === 'string' && touched.add(k), Reflect.set(t, k, unwrap(v), r)),
    deleteProperty: (t, k) => (typeof k === 'string' && touched.add(k), Reflect.deleteProperty(t, k)),
    defineProperty: (t, k, d) => (typeof k === 'string' && touched.add(k), Reflect.defineProperty(t, k, 'value' in d ? { ...d, value: unwrap(d.value) } : d)),
  }) as Record<string, VolumeRecord>;
  return { volumes, touched };
}
