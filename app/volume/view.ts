// A stored record seen against the mount table: what inspect, ls and the window show.
// Pure and cheap (no stat, no parsing beyond the options map): it runs for every volume
// on every list.

import type { ListFilters, VolumeInspect, VolumeKind } from '../api/types.js';
import type { VolumeRecord } from '../state/schema.js';
import type { MountEntry } from '../system/mountinfo.js';

// A record's driver and options never change after create, and records are replaced, never
// edited, when another process writes the store: the kind can be kept per record object, which
// spares a 10,000-volume list the option checks on every call.
const kinds = new WeakMap<VolumeRecord, VolumeKind>();

export function kindOf(rec: VolumeRecord): VolumeKind {
  let kind = kinds.get(rec);
  if (kind === undefined) kinds.set(rec, (kind = classify(rec)));
  return kind;
}

function classify(rec: VolumeRecord): VolumeKind {
  if (rec.driver !== 'local') return 'plugin';
  const { type, device, o } = rec.options;
  if (type === undefined && device === undefined) return 'directory';
  if (type === 'tmpfs') return 'tmpfs';
  if (type === 'nfs' || type === 'nfs4') return 'nfs';
  if (type === 'bind' || /(^|,)r?bind(,|$)/.test(o ?? '')) return 'bind';
  return device?.startsWith('/') ? 'device' : 'other';
}

export const needsMount = (rec: VolumeRecord) => kindOf(rec) !== 'directory';

/**
 * A local volume's counter as the kernel proves it, both ways: a counter with no mount behind
 * it is 0, and a mount at the volume's own target that no counter records (the process died,
 * or the state could not be written, between the mount and its record) is adopted as 1.
 */
export const countedAs = (stored: number, mounted: boolean) => (mounted ? Math.max(stored, 1) : 0);

export function toView(rec: VolumeRecord, mountpoint: string, table: Map<string, MountEntry>): VolumeInspect {
  const kind = kindOf(rec);
  const mustMount = kind !== 'directory';
  const isLocal = rec.driver === 'local';
  // A plugin's mountpoint need not be a mount of its own (many plugins hand out a plain
  // directory), so for plugins the counter, not the mount table, says whether it is mounted.
  const mounted = isLocal && mustMount ? table.has(mountpoint) : rec.mountCount > 0;
  // podman's keys in podman's order, then ours; podman leaves the empty ones out.
  const view: VolumeInspect = {
    Name: rec.name,
    Driver: rec.driver,
    // A plugin volume's path is the one its plugin gave at the first mount, shown only while
    // mounted (podman's rule); a local volume's is always its target.
    Mountpoint: isLocal ? mountpoint : rec.mountCount > 0 ? (rec.mountpoint ?? '') : '',
    CreatedAt: rec.createdAt,
    Labels: rec.labels,
    Scope: 'local',
    Options: rec.options,
    MountCount: rec.mountCount,
    ...(rec.timeout !== undefined ? { Timeout: rec.timeout } : {}),
    Mounted: mounted,
    NeedsMount: mustMount,
    Kind: kind,
  };
  const counted = isLocal && mustMount ? countedAs(rec.mountCount, mounted) : rec.mountCount;
  if (counted !== rec.mountCount) {
    view.Reconciled =
      counted === 0
        ? `the state said mounted ${rec.mountCount} time(s) but ${mountpoint} is not in the mount table; the counter is reset to 0`
        : `${mountpoint} is mounted but the state counted no mount (a crash or a failed write after mounting); it is adopted with a count of 1`;
    view.MountCount = counted;
  }
  return view;
}

function labelMatches(labels: Record<string, string>, filter: string): boolean {
  const eq = filter.indexOf('=');
  if (eq < 0) return filter in labels;
  return labels[filter.slice(0, eq)] === filter.slice(eq + 1);
}

/** podman's filter semantics: values of one key are OR-ed, different keys AND-ed. */
export function matches(view: VolumeInspect, f: ListFilters): boolean {
  if (f.name?.length && !f.name.some((n) => view.Name.includes(n))) return false;
  if (f.driver?.length && !f.driver.includes(view.Driver)) return false;
  if (f.label?.length && !f.label.every((l) => labelMatches(view.Labels, l))) return false;
  if (f.mounted !== undefined && view.Mounted !== f.mounted) return false;
  if (f.dangling !== undefined && (view.MountCount === 0) !== f.dangling) return false;
  return true;
}

const ID_OPTION = /(?:^|,)(uid|gid)=(\d+)(?:,|$)/g;

/** UID and GID as podman's inspect shows them: from uid=/gid= options or inside o=. */
function ownerIds(options: Record<string, string>): { UID?: number; GID?: number } {
  const ids: { UID?: number; GID?: number } = {};
  for (const m of (options.o ?? '').matchAll(ID_OPTION)) ids[m[1] === 'uid' ? 'UID' : 'GID'] = Number(m[2]);
  if (options.uid !== undefined && /^\d+$/.test(options.uid)) ids.UID = Number(options.uid);
  if (options.gid !== undefined && /^\d+$/.test(options.gid)) ids.GID = Number(options.gid);
  return ids;
}

/**
 * A view with its keys in podman 4.3's inspect order (Name, Driver, Mountpoint, CreatedAt,
 * Status, Labels, Scope, Options, UID, GID, MountCount, Timeout), empty ones left out as
 * podman leaves them, then this app's own. For inspect, where the order is read by people.
 */
export function inInspectOrder(v: VolumeInspect): VolumeInspect {
  const { Name, Driver, Mountpoint, CreatedAt, Status, Labels, Scope, Options, MountCount, Timeout, ...ours } = v;
  return {
    Name,
    Driver,
    Mountpoint,
    CreatedAt,
    ...(Status !== undefined ? { Status } : {}),
    Labels,
    Scope,
    Options,
    ...(Driver === 'local' ? ownerIds(Options) : {}),
    MountCount,
    ...(Timeout !== undefined ? { Timeout } : {}),
    ...ours,
  };
}
