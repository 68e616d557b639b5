// podman's `until=` filter value: a point in time given as a Unix timestamp (seconds), an RFC
// 3339 time or a date, or a Go duration (10m, 1h30m) back from now. Volumes made before it match.

import { invalidRequest } from '../errors/catalogue.js';

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/;

/** The time `value` names, in ms since the epoch; INVALID_REQUEST where it names none. */
export function untilTime(value: string, now = Date.now()): number {
  if (DURATION.test(value)) {
    let ms = 0;
    for (const m of value.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(m[1]) * UNIT_MS[m[2]!]!;
    return now - ms;
  }
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const t = /^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?)?$/.test(value) ? Date.parse(value.replace(' ', 'T')) : NaN;
  if (Number.isNaN(t)) throw invalidRequest(`invalid until filter ${JSON.stringify(value)}: a Unix timestamp, a date or RFC 3339 time, or a duration such as 10m or 1h30m`);
  return t;
}

/** Whether a volume made at `createdAt` (RFC 3339) was made before `until`. */
export const madeBefore = (createdAt: string, until: number) => Date.parse(createdAt) < until;
