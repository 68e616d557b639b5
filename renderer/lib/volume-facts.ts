// What the list shows of a volume, derived from the engine's view: pure, so it is cheap for
// 10,000 rows and testable without a page.

import type { ContainerHold, VolumeInspect } from '../../app/api/types.js';
import { formatBytes } from '../../app/api/bytes.js';

export type VolumeStatus = 'mounted' | 'not mounted' | 'always ready' | 'stale' | 'plugin missing' | 'plugin not answering';

/** `always ready`: a plain directory, which nothing mounts and is there whenever it is asked for (as in podman, a mount of it counts nothing). */
export function statusOf(v: VolumeInspect): VolumeStatus {
  if (v.Plugin?.State === 'missing') return 'plugin missing';
  if (v.Plugin?.State === 'not-answering') return 'plugin not answering';
  if (v.Reconciled) return 'stale';
  if (!v.NeedsMount && !v.Plugin) return 'always ready';
  return v.Mounted ? 'mounted' : 'not mounted';
}

export function sourceOf(v: VolumeInspect): string {
  if (v.Driver !== 'local') return v.Driver;
  return v.Options.device ?? v.Options.type ?? '(directory)';
}

/**
 * The options a mount gets, as the person set them: o= and the conveniences beside it (size,
 * uid, gid) for a local volume; all of a plugin's options, which are the plugin's to read.
 */
export function mountOptionsOf(v: VolumeInspect): string {
  const entries = Object.entries(v.Options);
  const shown = v.Driver === 'local' ? entries.filter(([k]) => k !== 'type' && k !== 'device') : entries;
  const parts = shown.map(([k, value]) => (k === 'o' && v.Driver === 'local' ? value : `${k}=${value}`)).filter(Boolean);
  return parts.length ? parts.join(', ') : '(none)';
}

/**
 * What Unmount does when the counter is above 1 (podman's semantics: only the last unmount
 * touches the system), or null when it simply unmounts.
 */
export function unmountEffect(v: VolumeInspect): string | null {
  if (v.MountCount < 2) return null;
  const others = v.MountCount - 1;
  return `Mounted ${v.MountCount} times: Unmount lowers the count to ${others} and ${v.Name} stays mounted until the last Unmount. Force unmount detaches it now.`;
}

/**
 * Who of the containers holds a volume, in words: Docker mounts once per container; podman
 * once for all of its containers, which it counts itself. '' when no container holds it.
 */
export function usedByOf(holds: ContainerHold[] | undefined): string {
  if (!holds?.length) return '';
  const docker = holds.filter((h) => h.Engine === 'docker').reduce((n, h) => n + h.Mounts, 0);
  const parts = [...(holds.some((h) => h.Engine === 'podman') ? ["podman's containers"] : []), ...(docker ? [`${docker} Docker container${docker === 1 ? '' : 's'}`] : [])];
  return `used by ${parts.join(' and ')}`;
}

/** The space a volume uses, of its size. */
export const usageOf = (v: VolumeInspect) => (v.Usage ? `${formatBytes(v.Usage.Used)} of ${formatBytes(v.Usage.Size)}` : '');

export type SortKey = 'name' | 'driver' | 'kind' | 'source' | 'status' | 'count' | 'used' | 'created';

const keyOf: Record<SortKey, (v: VolumeInspect) => string | number> = {
  name: (v) => v.Name,
  driver: (v) => v.Driver,
  kind: (v) => v.Kind,
  source: (v) => sourceOf(v),
  status: (v) => statusOf(v),
  count: (v) => v.MountCount,
  // Where the space is not known (not mounted), below every known size.
  used: (v) => v.Usage?.Used ?? -1,
  // RFC 3339 with nanoseconds, as podman writes it: compared as time, not as text.
  created: (v) => Date.parse(v.CreatedAt) || 0,
};

// toLocaleString builds a formatter on every call, the slowest part of a row's render; these
// are built on first use (the locale is the page's, which does not change while it runs).
let dateFormat: Intl.DateTimeFormat | undefined;
let dateTimeFormat: Intl.DateTimeFormat | undefined;

/** When it was created, as the person's locale writes a date (and the time, where there is room). */
export const createdOf = (v: VolumeInspect, withTime = false) => {
  const t = Date.parse(v.CreatedAt);
  if (Number.isNaN(t)) return '';
  const format = withTime ? (dateTimeFormat ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })) : (dateFormat ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }));
  return format.format(t);
};

export function sortVolumes(list: VolumeInspect[], key: SortKey, descending: boolean): VolumeInspect[] {
  const get = keyOf[key];
  const dir = descending ? -1 : 1;
  return [...list].sort((a, b) => {
    const x = get(a);
    const y = get(b);
    return (x < y ? -1 : x > y ? 1 : a.Name < b.Name ? -1 : 1) * dir;
  });
}

export interface ListFilter {
  text: string;
  kind: string;
  status: string;
  /** podman's --filter label=: `key` (any value) or `key=value`. */
  label: string;
}

function hasLabel(v: VolumeInspect, filter: string): boolean {
  const eq = filter.indexOf('=');
  const key = (eq < 0 ? filter : filter.slice(0, eq)).trim();
  if (!Object.hasOwn(v.Labels, key)) return false;
  return eq < 0 || v.Labels[key] === filter.slice(eq + 1).trim();
}

export function filterVolumes(list: VolumeInspect[], f: ListFilter): VolumeInspect[] {
  const text = f.text.trim().toLowerCase();
  const label = f.label.trim();
  if (!text && !f.kind && !f.status && !label) return list;
  return list.filter(
    (v) =>
      (!text || v.Name.toLowerCase().includes(text) || sourceOf(v).toLowerCase().includes(text)) &&
      (!f.kind || v.Kind === f.kind) &&
      (!f.status || statusOf(v) === f.status) &&
      (!label || hasLabel(v, label)),
  );
}
