// What podman's `volume reload` does to the state, worked out from what each plugin lists: pure,
// so every rule is tested without a plugin. Volumes a plugin lists that the state lacks are
// added (with our own creation time), volumes of an answering plugin that it no longer lists
// are dropped unless mounted, and every name that cannot be taken in is a guided error.

import { NAME_PATTERN } from '../api/option-shapes.js';
import type { ReloadReport } from '../api/types.js';
import { reloadInvalidName, reloadKeptMounted, reloadNameClash } from '../errors/catalogue.js';
import type { StateData, VolumeRecord } from '../state/schema.js';

export interface ReloadPlan {
  add: VolumeRecord[];
  drop: string[];
  errors: ReloadReport['Errors'];
  /** The names each answering source listed, to check again under the locks. */
  listedBy: Map<string, Set<string>>;
}

/** `lists`: for each source that answered, its volumes; a silent source is simply absent. */
export function planReload(lists: Map<string, { Name: string }[]>, state: Readonly<StateData>, now = new Date()): ReloadPlan {
  const owner = new Map(Object.values(state.volumes).map((r) => [r.name, r.driver]));
  const plan: ReloadPlan = { add: [], drop: [], errors: [], listedBy: new Map() };
  for (const [driver, volumes] of [...lists].sort(([a], [b]) => a.localeCompare(b))) {
    const listed = new Set<string>();
    plan.listedBy.set(driver, listed);
    for (const v of volumes) {
      if (v.Name.length > 128 || !NAME_PATTERN.test(v.Name)) {
        plan.errors.push({ Driver: driver, Volume: v.Name, Error: reloadInvalidName(driver, v.Name).toJSON() });
        continue;
      }
      listed.add(v.Name);
      const has = owner.get(v.Name);
      if (has === undefined) {
        owner.set(v.Name, driver);
        // Our own time, as podman: a plugin's CreatedAt is in whatever format it likes.
        plan.add.push({ name: v.Name, driver, options: {}, labels: {}, createdAt: now.toISOString(), mountCount: 0 });
      } else if (has !== driver) {
        plan.errors.push({ Driver: driver, Volume: v.Name, Error: reloadNameClash(driver, v.Name, has).toJSON() });
      }
    }
  }
  for (const r of Object.values(state.volumes)) {
    if (plan.listedBy.get(r.driver)?.has(r.name) !== false) continue;
    // A mounted volume is never dropped: its mount would be lost track of.
    if (r.mountCount > 0) plan.errors.push({ Driver: r.driver, Volume: r.name, Error: reloadKeptMounted(r.driver, r.name, r.mountCount).toJSON() });
    else plan.drop.push(r.name);
  }
  return plan;
}
