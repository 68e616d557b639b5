// podman's `volume ls --filter`: name (a regular expression, found anywhere in the name),
// driver, label, opt, scope, until, dangling, and this app's mounted. Values of one key are
// OR-ed and different keys AND-ed, as podman does since 6.0 (4.3 OR-ed them all, which its
// users reported as a bug). The engine filters what its contract knows; the rest is checked
// here, on the views it returns.

import type { ListFilters, VolumeInspect } from '../../app/api/types.js';
import { invalidRequest } from '../../app/errors/catalogue.js';
import { madeBefore, untilTime } from '../../app/volume/until.js';

const BOOL = /^(true|false|1|0)$/;

export interface PodmanFilters {
  /** What the engine filters. */
  engine: ListFilters;
  /** What is left for the command line, each to be true of a volume shown. */
  here: ((v: VolumeInspect) => boolean)[];
}

function regex(value: string): RegExp {
  try {
    return new RegExp(value);
  } catch (err) {
    throw invalidRequest(`error parsing regexp: ${(err as Error).message}`);
  }
}

const optMatches = (options: Record<string, string>, want: string) => {
  const eq = want.indexOf('=');
  return eq < 0 ? Object.hasOwn(options, want) : options[want.slice(0, eq)] === want.slice(eq + 1);
};

export function podmanFilters(pairs: string[]): PodmanFilters {
  const engine: ListFilters = {};
  const byKey = new Map<string, string[]>();
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw invalidRequest(`invalid filter ${JSON.stringify(pair)}: expected key=value`);
    const key = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    if (!['name', 'driver', 'label', 'mounted', 'dangling', 'opt', 'scope', 'until'].includes(key)) throw invalidRequest(`${JSON.stringify(key)} is an invalid volume filter`);
    if ((key === 'mounted' || key === 'dangling') && !BOOL.test(value)) throw invalidRequest(`invalid filter ${pair}: expected true or false`);
    byKey.set(key, [...(byKey.get(key) ?? []), value]);
  }
  const here: PodmanFilters['here'] = [];
  for (const [key, values] of byKey) {
    if (key === 'driver') engine.driver = values;
    else if (key === 'label') engine.label = values;
    else if (key === 'mounted' || key === 'dangling') engine[key] = values.at(-1) === 'true' || values.at(-1) === '1';
    else if (key === 'name') {
      const res = values.map(regex);
      here.push((v) => res.some((re) => re.test(v.Name)));
    } else if (key === 'opt') here.push((v) => values.some((o) => optMatches(v.Options, o)));
    else if (key === 'scope') here.push((v) => values.includes(v.Scope));
    else {
      const times = values.map((t) => untilTime(t));
      here.push((v) => times.some((t) => madeBefore(v.CreatedAt, t)));
    }
  }
  return { engine, here };
}
