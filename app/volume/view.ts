// A stored record seen against the mount table: what inspect, ls and the window show.
// Pure and cheap (no stat, no parsing beyond the options map): it runs for every volume
// on every list.

import type { ListFilters, VolumeInspect, VolumeKind } from '../api/types.js';
import type { VolumeDriver } from '../drivers/driver.js';
import type { VolumeRecord } from '../state/schema.js';
import type { MountTable } from '../system/mountinfo.js';
import { PSEUDO_ID } from '../plugin-client/protocol.js';

// A record's driver and options change only through a store write, and a snapshot after a
// write has a new object for every record whose text changed (state-store.ts): the kind can be
// kept per record object, which spares a 10,000-volume list the option checks on every call.
const kinds = new WeakMap<VolumeRecord, VolumeKind>();

function kindOf(rec: VolumeRecord, driver: VolumeDriver): VolumeKind {
  let kind = kinds.get(rec);
  if (kind === undefined) kinds.set(rec, (kind = driver.kind(rec)));
  return kind;
}

/**
 * A counter as the kernel proves it, both ways: a counter with no mount behind it is 0, and a
 * mount at the volume's own target that no counter records (the process died, or the state
 * could not be written, between the mount and its record) is adopted as 1.
 */
export const countedAs = (stored: number, mounted: boolean) => (mounted ? Math.max(stored, 1) : 0);

/** The record as the driver sees it against the mount table; `Reconciled` says where the counter was wrong. */
export function toView(rec: VolumeRecord, driver: VolumeDriver, table: MountTable): VolumeInspect {
  const kind = kindOf(rec, driver);
  const mountpoint = driver.mountpoint(rec);
  const { mounted, proven } = driver.mountState(rec, table);
  // podman's keys in podman's order, then ours; podman leaves the empty ones out.
  const view: VolumeInspect = {
    Name: rec.name,
    Driver: rec.driver,
    Mountpoint: mountpoint,
    CreatedAt: rec.createdAt,
    Labels: rec.labels,
    Scope: 'local',
    Options: rec.options,
    MountCount: rec.mountCount,
    ...(rec.timeout !== undefined ? { Timeout: rec.timeout } : {}),
    Mounted: mounted,
    MountAt: rec.mountAt ?? 'manual',
    NeedsMount: kind !== 'directory',
    Kind: kind,
  };
  const counted = proven ? countedAs(rec.mountCount, mounted) : rec.mountCount;
  if (counted !== rec.mountCount) {
    view.Reconciled =
      counted === 0
        ? `the state said mounted ${rec.mountCount} time(s) but ${mountpoint} is not in the mount table; the counter is reset to 0`
        : `${mountpoint} is mounted but the state counted no mount (a crash or a failed write after mounting); it is adopted with a count of 1`;
    view.MountCount = counted;
  }
  if (rec.holders && counted > 0) view.UsedBy = Object.entries(rec.holders).map(([ID, Mounts]) => ({ ID, Mounts, Engine: ID === PSEUDO_ID ? 'podman' : 'docker' }));
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

/**
 * A view with its keys in podman 4.3's inspect order (Name, Driver, Mountpoint, CreatedAt,
 * Status, Labels, Scope, Options, UID, GID, MountCount, Timeout), empty ones left out as
 * podman leaves them, then this app's own. For inspect, where the order is read by people.
 */
export function inInspectOrder(v: VolumeInspect): VolumeInspect {
  const { Name, Driver, Mountpoint, CreatedAt, Status, Labels, Scope, Options, UID, GID, MountCount, Timeout, ...ours } = v;
  return {
    Name,
    Driver,
    Mountpoint,
    CreatedAt,
    ...(Status !== undefined ? { Status } : {}),
    Labels,
    Scope,
    Options,
    ...(UID !== undefined ? { UID } : {}),
    ...(GID !== undefined ? { GID } : {}),
    MountCount,
    ...(Timeout !== undefined ? { Timeout } : {}),
    ...ours,
  };
}
