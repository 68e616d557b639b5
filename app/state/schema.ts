// The persisted state: one JSON document shared by the app (electron-store), the command
// line (conf) and every other process. Both libraries write it as conf does, so the
// format is conf's; this file is the schema both sides check on every read and write.

import { HOLDER_ID, NAME_PATTERN } from '../api/option-shapes.js';

export const STATE_VERSION = 1;

export interface VolumeRecord {
  name: string;
  driver: string;
  options: Record<string, string>;
  labels: Record<string, string>;
  createdAt: string;
  /** How many mounts the engine has handed out; only 0→1 and 1→0 touch the system. */
  mountCount: number;
  /** Plugin volumes: the mountpoint the plugin returned, kept until the last unmount. */
  mountpoint?: string;
  /** Plugin volumes: seconds to wait for their plugin's calls (podman's o=timeout=N). */
  timeout?: number;
  /** 'login': `volume restore` mounts it at login; absent: mounted only when asked. */
  mountAt?: 'login';
  /**
   * The mounts of mountCount that containers hold through the plugin server, by the ID their
   * engine gave (Docker's per mount, podman's one pseudo ID), each with how many it holds.
   * Only those IDs release them; the rest of the count is the window's and the command line's.
   */
  holders?: Record<string, number>;
}

export interface StateData {
  version: number;
  volumes: Record<string, VolumeRecord>;
  /** The boot during which the counters were last written (see system/boot.ts). */
  bootId?: string;
}

/**
 * After a reboot nothing is mounted: every counter is 0 and no mountpoint is cached, as
 * podman's refresh does. Local volumes would be put right by the mount table anyway; plugin
 * volumes and plain directories have nothing else to tell.
 */
export function forgetMounts(data: StateData): void {
  for (const rec of Object.values(data.volumes)) {
    rec.mountCount = 0;
    delete rec.mountpoint;
    delete rec.holders;
  }
}

export const emptyState = (): StateData => ({ version: STATE_VERSION, volumes: {} });

// A plain loop: this runs for every volume on every uncached read (10,000 in the benchmark).
function isStringMap(v: unknown): v is Record<string, string> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  for (const k in v) if (typeof (v as Record<string, unknown>)[k] !== 'string') return false;
  return true;
}

function isHolderMap(v: unknown): v is Record<string, number> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  for (const k in v) {
    const n = (v as Record<string, unknown>)[k];
    if (!HOLDER_ID.test(k) || !Number.isInteger(n) || (n as number) < 1) return false;
  }
  return true;
}

/** How many of a record's mounts containers hold (see VolumeRecord.holders). */
export const heldMounts = (rec: Pick<VolumeRecord, 'holders'>): number => {
  let n = 0;
  for (const k in rec.holders) n += rec.holders[k]!;
  return n;
};

/** Returns the first problem found, or null when `data` is valid state. */
export function stateProblem(data: unknown): string | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'the document is not an object';
  const d = data as Partial<StateData>;
  if (d.version !== STATE_VERSION) return `unsupported version ${JSON.stringify(d.version)} (expected ${STATE_VERSION})`;
  if (typeof d.volumes !== 'object' || d.volumes === null || Array.isArray(d.volumes)) return '"volumes" is not an object';
  if (d.bootId !== undefined && typeof d.bootId !== 'string') return '"bootId" is not a string';
  for (const key in d.volumes) {
    const problem = recordProblem(key, d.volumes[key]);
    if (problem !== null) return problem;
  }
  return null;
}

/** What is wrong with one stored record under `key`, or null: the same rules wherever a record is read from. */
export function recordProblem(key: string, v: unknown): string | null {
  const where = `volumes[${JSON.stringify(key)}]`;
  if (typeof v !== 'object' || v === null) return `${where} is not an object`;
  const r = v as VolumeRecord;
  if (r.name !== key) return `${where}.name does not match its key`;
  // A name is a path component under volumes/: one that is not a volume name (a slash, "..")
  // would point operations, rm among them, outside the state directory.
  if (!NAME_PATTERN.test(key)) return `${where} is not a valid volume name`;
  if (typeof r.driver !== 'string' || !r.driver) return `${where}.driver is missing`;
  if (!isStringMap(r.options)) return `${where}.options is not a string map`;
  if (!isStringMap(r.labels)) return `${where}.labels is not a string map`;
  if (typeof r.createdAt !== 'string') return `${where}.createdAt is missing`;
  if (!Number.isInteger(r.mountCount) || r.mountCount < 0) return `${where}.mountCount is not a non-negative integer`;
  if (r.mountpoint !== undefined && typeof r.mountpoint !== 'string') return `${where}.mountpoint is not a string`;
  if (r.timeout !== undefined && (!Number.isInteger(r.timeout) || r.timeout < 1)) return `${where}.timeout is not a whole number of seconds`;
  if (r.mountAt !== undefined && r.mountAt !== 'login') return `${where}.mountAt is not "login"`;
  if (r.holders !== undefined && !isHolderMap(r.holders)) return `${where}.holders is not a map of holder IDs to mount counts`;
  return null;
}
