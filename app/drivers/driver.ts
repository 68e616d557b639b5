// One interface for every volume driver. The engine keeps the counter, the locks and the
// state and calls these; a driver never touches the state or the counter, and the engine
// never asks which driver it talks to. A new driver is a folder beside local/ and plugin/
// and one line in registry.ts. What a driver offers beyond mounting (a server's host keys, an
// NFS server's exports) is a capability it declares, which the contract's operations find by
// capability, never by driver.

import type { DriverInfo, NfsExport, ReloadReport, SshHostKeys, VolumeInspect, VolumeKind } from '../api/types.js';
import type { GuidedError } from '../errors/guided-error.js';
import type { PluginVolume } from '../plugin-client/protocol.js';
import type { VolumeRecord } from '../state/schema.js';
import type { MountTable } from '../system/mountinfo.js';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: GuidedError };

/** What a record keeps of a create request's options. */
export interface ParsedOptions {
  options: Record<string, string>;
  /** Seconds to wait for the driver's calls, where it has any (plugins). */
  timeout?: number;
}

/** Whether a volume is mounted, and whether the kernel's mount table is the proof of it. */
export interface MountState {
  mounted: boolean;
  /**
   * True where the mount table decides (a local volume that mounts): the counter is then
   * reconciled with it, both ways. False where only the counter can tell (plugins, whose
   * paths need not be mounts; plain directories).
   */
  proven: boolean;
}

/**
 * Whose data a volume holds, for export, import and removal, which never ask which driver
 * serves it: `made`, created empty for the volume (a plain directory; a tmpfs, `lostAtUnmount`,
 * whose mount root makes in its own tree); `brought`, the caller's own data elsewhere (a
 * bind, a device, an NFS or SSH export), read and written with the caller's rights only;
 * `named`, a path a plugin named, which root deletes in only inside a mount of the plugin's own.
 */
export interface VolumeData {
  origin: 'made' | 'brought' | 'named';
  lostAtUnmount: boolean;
}

/** What a driver may offer beyond mounting; options are a volume's or a create form's, checked as create checks them. */
export interface DriverCapabilities {
  /** Servers checked by their host key (SSH volumes): the keys one offers, trusting one, its folders. */
  hostKeys: {
    keys(options: Record<string, string>): Promise<SshHostKeys>;
    trust(options: Record<string, string>, fingerprint: string): Promise<{ Fingerprint: string }>;
    folders(options: Record<string, string>, path: string): Promise<{ Path: string; Folders: string[] }>;
  };
  /** Servers that list what they export (NFS), for the create form. */
  exports: { list(server: string): Promise<NfsExport[]> };
}

export interface VolumeDriver {
  /** What it offers beyond the interface, each found by the engine's capability(). */
  capabilities?: Partial<DriverCapabilities>;
  /** Whose data a volume of this driver holds (VolumeData); pure. */
  data(rec: VolumeRecord): VolumeData;
  /** Checks a create request's options and says what the record keeps; throws INVALID_OPTION, changes nothing. */
  parse(options: Record<string, string>): ParsedOptions;
  /** The kind of volume; pure, and the same for a record's whole life (the caller caches it). */
  kind(rec: VolumeRecord): VolumeKind;
  /** The path inspect shows. Pure and cheap: it runs for every volume of every list. */
  mountpoint(rec: VolumeRecord): string;
  /** Whether it is mounted right now. Pure and cheap, as mountpoint. */
  mountState(rec: VolumeRecord, table: MountTable): MountState;
  /**
   * Makes what a new volume needs (a directory, the plugin's volume) and returns how to take it
   * back if its record cannot be saved. Called under the volume's lock, name known to be free.
   */
  create(rec: VolumeRecord): Promise<() => unknown>;
  /**
   * The first mounts of a batch (each not mounted, counter at 0), all in one go so that a
   * batch asks for a password once at most. Returns each volume's mountpoint or error. Called
   * under the locks of every volume given.
   */
  mount(recs: VolumeRecord[]): Promise<Map<string, Outcome<string>>>;
  /** The last unmounts of a batch (the counter reaching 0); under the locks, as mount. */
  unmount(recs: VolumeRecord[], force: boolean): Promise<Map<string, Outcome<void>>>;
  /**
   * Takes back first mounts whose record could not be saved, where that needs no new password
   * prompt; returns the names undone. Under the locks.
   */
  undoMounts(recs: VolumeRecord[]): Promise<Set<string>>;
  /**
   * Gives an unmounted volume's data its new name (podman 6.1's volume rename) and returns how
   * to take that back if the record cannot be saved. Absent where the data's name is not the
   * engine's to change (a plugin's volume). Under the locks of both names, the new one free.
   */
  rename?(rec: VolumeRecord, to: string): Promise<() => unknown>;
  /** Deletes the volume's data or the plugin's volume; with force a refusal is returned as a warning. Under the lock, after the last unmount. */
  remove(rec: VolumeRecord, force: boolean): Promise<string | undefined>;
  /** Adds what the driver knows of its volumes to their views (a plugin's state, Status, Timeout). */
  describe(views: VolumeInspect[], details: boolean): Promise<void>;
  /** What `driver ls` shows for this driver (for plugins, one row per plugin found). */
  infos(): Promise<DriverInfo[]>;
  /** For reload: the volumes each source of this driver lists now; only drivers whose volumes live elsewhere have it. */
  listAll?(): Promise<{ lists: Map<string, PluginVolume[]>; errors: ReloadReport['Errors'] }>;
}
