// Data shapes that cross every boundary: engine, command line, IPC, HTTP host, renderer.
// Only plain JSON values here, because they travel through structured clone and JSON.

import type { GuidedErrorData } from '../errors/guided-error.js';

/** When a volume is mounted without being asked: never (manual), or by `volume restore` at login. */
export type MountPolicy = 'manual' | 'login';

export type VolumeKind = 'directory' | 'tmpfs' | 'bind' | 'device' | 'nfs' | 'sshfs' | 'other' | 'plugin';

/** podman's `volume inspect` fields, plus what this app adds (Mounted, Kind, Stale). */
export interface VolumeInspect {
  Name: string;
  Driver: string;
  Mountpoint: string;
  CreatedAt: string;
  Labels: Record<string, string>;
  Options: Record<string, string>;
  Scope: 'local' | 'global';
  UID?: number;
  GID?: number;
  MountCount: number;
  /** Plugin volumes: seconds the engine waits for their plugin (podman's Timeout). */
  Timeout?: number;
  /** What the system's mount table says right now, not what the counter claims. */
  Mounted: boolean;
  MountAt: MountPolicy;
  /** Whether mounting touches the system at all (false for a plain directory). */
  NeedsMount: boolean;
  Kind: VolumeKind;
  /**
   * Set when the counter and the mount table disagreed and the counter was corrected (a mount
   * it did not have was dropped, or one it did not record was adopted); says so too when the
   * correction could not be saved.
   */
  Reconciled?: string;
  /** Plugin volumes only: what the plugin reports. */
  Status?: Record<string, unknown>;
  /** Plugin volumes only: whether their plugin can be reached right now. */
  Plugin?: PluginStatus;
  /** Mounted tmpfs, bind and device volumes: bytes used and total, from statfs. */
  Usage?: { Used: number; Size: number };
  /** The mounts containers hold through the plugin server (`plugin serve`), when any. */
  UsedBy?: ContainerHold[];
  /** Inspect only: the containers podman and Docker say use the volume, where they could be asked. */
  Containers?: ContainerRef[];
}

/** Mounts of a volume one holder took through the plugin server. */
export interface ContainerHold {
  /** The ID its engine sent: Docker's, one per mount; podman's one pseudo ID for all its containers. */
  ID: string;
  Mounts: number;
  /** podman counts its own containers and mounts a volume once for all of them. */
  Engine: 'podman' | 'docker';
}

/** A container that uses a volume, as its engine names it. */
export interface ContainerRef {
  Engine: 'podman' | 'docker';
  ID: string;
  Name: string;
}

export interface PluginStatus {
  State: 'ready' | 'missing' | 'not-answering';
  Address?: string;
  Error?: string;
}

/** podman's `volume reload`: what was added from and dropped for the plugins' lists. */
export interface ReloadReport {
  Added: string[];
  Removed: string[];
  /** Each a guided error: a plugin that does not answer, a name clash, a mounted volume kept. */
  Errors: { Driver: string; Volume?: string; Error: GuidedErrorData }[];
}

export interface ListFilters {
  name?: string[];
  driver?: string[];
  /** `key` or `key=value` */
  label?: string[];
  mounted?: boolean;
  dangling?: boolean;
}

export interface DriverInfo {
  Name: string;
  /** Where it was found: `builtin` for local, else a socket, spec or config path. */
  Source: string;
  Address?: string;
  Answers: boolean;
  Scope?: 'local' | 'global';
  Error?: string;
}

/** One volume's outcome in a batch action: one password prompt covers the whole batch. */
export interface BatchItem<T> {
  name: string;
  ok: boolean;
  value?: T;
  error?: GuidedErrorData;
}

export interface MountOutcome {
  Mountpoint: string;
  MountCount: number;
}

export interface UnmountOutcome {
  MountCount: number;
}

export interface NfsExport {
  path: string;
  clients: string;
}

/** The folders in one folder, for the folder picker. */
export interface FolderListing {
  /** The folder listed, with symbolic links resolved. */
  path: string;
  /** Absent at the root. */
  parent?: string;
  folders: string[];
  /** More folders than the listing holds; the user types the rest of the path. */
  truncated: boolean;
}

/** An SSH volume's server as it answers now: its name in known_hosts and its keys' fingerprints. */
export interface SshHostKeys {
  Host: string;
  Fingerprints: string[];
}

/** What `volume restore` did with one `login` volume. */
export interface RestoreItem {
  Name: string;
  Result: 'mounted' | 'already mounted' | 'failed';
  Mountpoint?: string;
  Error?: GuidedErrorData;
}

export interface ExportOutcome {
  /** Bytes of archive written. */
  Bytes: number;
}

export interface ImportOutcome {
  /** Entries the archive held, all now in the volume. */
  Entries: number;
  /** Bytes of archive read. */
  Bytes: number;
  /** Whether what the volume held before was replaced. */
  Replaced: boolean;
}

/** How far an export or import is; `Total` where it is known in advance. */
export interface TransferProgress {
  Bytes: number;
  Total?: number;
}

/** An export or import as the window follows it: pushed by the host as it goes. */
export interface TransferEvent {
  Id: string;
  Name: string;
  Op: 'export' | 'import';
  State: 'running' | 'done' | 'failed' | 'cancelled';
  Progress: TransferProgress;
  Error?: GuidedErrorData;
}

/** What removing a volume deletes, for a confirmation that says it. */
/** How to run the command line on the machine the engine runs on, for the commands guided errors show. */
export interface CommandLine {
  /** Shell words that start it: `volume-manager`, or the bundle run by its runtime. */
  Command: string;
  /** `--state-dir DIR` when the window's store is not the default one; '' otherwise. */
  StateDir: string;
  /** The engine runs as root: commands need no sudo, and nothing asks for a password. */
  Root: boolean;
}

/** volume.changes: what the window must change in its list to match the engine's. */
export interface VolumeChanges {
  /** The store's version and the mount table's, as they were when this answer was made: the next request's `since`. */
  Mark: string;
  /** Volumes is the whole list (the `since` was unknown or forgotten); otherwise only what changed. */
  Full: boolean;
  /** New or changed volumes (all of them when Full). */
  Volumes: VolumeInspect[];
  /** Names that are gone since `since`. */
  Removed: string[];
}

export interface VolumeContents {
  Name: string;
  /**
   * files: what the volume itself holds (a plain directory; a mounted tmpfs's memory);
   * nothing: only the volume, its data stays at Source (a bind, a device, NFS, SSH, an
   * unmounted tmpfs, which holds nothing); plugin: what its plugin does on remove; record:
   * its plugin is not running, so only the engine's record of it can go (a forced remove),
   * and whatever the plugin holds stays with the plugin.
   */
  Loses: 'files' | 'nothing' | 'plugin' | 'record';
  /** For files, where they could be counted in time. */
  Entries?: number;
  Bytes?: number;
  /** For nothing: where the data stays, where there is a place. */
  Source?: string;
  /**
   * Mounted volumes: the processes that use the mountpoint, as "command (pid N: how)", which
   * keep an unmount busy. Only the caller's own processes are seen unless it runs as root.
   */
  Holders?: string[];
  /** Mounted volumes: the count of mounts the counter holds; a removal unmounts them first. */
  MountCount?: number;
  /** The mounts containers hold through the plugin server, which a removal takes from under them. */
  UsedBy?: ContainerHold[];
}

/** The plugin server podman and Docker reach the volumes through, as the window sees it. */
export interface ContainerServing {
  /**
   * window: this window's own process serves (until it closes); other: something else answers on
   * the socket (`plugin serve`, the systemd user unit, another window); none: nothing does.
   */
  State: 'window' | 'other' | 'none';
  /** Where podman and Docker reach it; '' where there is no place for it (no runtime directory). */
  Socket: string;
  /** The lines containers.conf needs for podman to find it. */
  PodmanLines: string;
  /** The containers.conf podman reads for this user, and whether it names this socket already. */
  ContainersConf: { Path: string; Configured: boolean; Problem?: string };
  /** Docker finds the server by itself: its socket is in /run/docker/plugins (served as root). */
  DockerFinds: boolean;
  /** Why it cannot serve from here, when it cannot. */
  Error?: GuidedErrorData;
}

/** What writing the plugin line would make of a containers.conf: shown before it is written. */
export interface ConfChange {
  Path: string;
  /** '' for a file that does not exist yet. */
  Before: string;
  After: string;
}

/** A machine the window can switch to: this computer, or a connection (see `connection add`). */
export interface MachineInfo {
  /** '' for this computer; otherwise the connection's name. */
  Name: string;
  Url?: string;
  /** this: this computer; connected: a session is open; lost: the last one ended or could not open (Error says why); idle: none asked for yet. */
  State: 'this' | 'connected' | 'lost' | 'idle';
  Error?: GuidedErrorData;
}
