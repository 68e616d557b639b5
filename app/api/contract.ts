// The one API contract. Every front end (command line, Electron IPC, preload, renderer,
// the browser host) is derived from this table: adding an operation here exposes it
// everywhere. Types and the operation list only, so the preload and the page can take it
// whole; each request is checked by parsers.ts in the process that owns the engine, never
// trusted from the page.

import type { GuidedErrorData } from '../errors/guided-error.js';
import type { BatchItem, CommandLine, ConfChange, ContainerServing, MachineInfo, DriverInfo, FolderListing, VolumeChanges, VolumeContents, ListFilters, MountOutcome, MountPolicy, NfsExport, ReloadReport, RestoreItem, SshHostKeys, UnmountOutcome, VolumeInspect } from './types.js';

export interface CreateRequest {
  name: string;
  driver?: string;
  options?: Record<string, string>;
  labels?: Record<string, string>;
  /** Default manual. */
  mountAt?: MountPolicy;
}
export interface RenameRequest {
  name: string;
  /** The new name, checked as a name at create is. */
  to: string;
}
/** What `volume set` changes; at least one. `options` and `labels` replace the old ones whole. */
export interface SetRequest {
  name: string;
  mountAt?: MountPolicy;
  /** Checked as create checks them; only while nothing holds the volume, and never its kind. */
  options?: Record<string, string>;
  labels?: Record<string, string>;
}
export interface NamesRequest {
  names: string[];
}
export interface ForceNamesRequest extends NamesRequest {
  force?: boolean;
}
export interface ListRequest {
  filters?: ListFilters;
}
/** podman's prune filters: labels (all must match, `key` or `key=value`) and until (see app/volume/until.ts). */
export interface PruneRequest {
  filters?: { label?: string[]; until?: string };
}
export interface ServerRequest {
  server: string;
}
export interface FolderRequest {
  /** An absolute path; absent: the home folder of the user the app runs as. */
  path?: string;
}
export interface NameRequest {
  name: string;
}
/** An SSH server: an existing volume's, by its name, or one being typed into the create form, by its options. */
export interface SshServerRequest {
  name?: string;
  options?: Record<string, string>;
}
export interface TrustRequest extends SshServerRequest {
  /** The fingerprint the person compared and confirmed; only a key with it is recorded. */
  fingerprint: string;
}
export interface SshFoldersRequest {
  options: Record<string, string>;
  /** An absolute path on the server. */
  path: string;
}
/** One export or import of the window, by the id the page gave it. */
export interface TransferRequest {
  name: string;
  /** Chosen by the page ([A-Za-z0-9_-], 8 to 64): progress events and cancel name it. */
  id: string;
}
export interface ImportRequest extends TransferRequest {
  /** Replace what the volume holds; without it a volume that holds anything is refused. */
  replace: boolean;
}
export type Empty = Record<string, never>;

/** What the window asks for to bring its list up to date: what changed since `since` (a Mark it was given). */
export interface ChangesRequest {
  since?: string;
  /**
   * Look again even when the store and the mount table are as they were: what they do not
   * capture (space used, a plugin's state) may have moved.
   */
  fresh?: boolean;
}

export interface RemoveOutcome {
  warning?: string;
}

/** Request and response types of each operation. */
export interface ApiTypes {
  'volume.create': [CreateRequest, VolumeInspect];
  /** Checks a create request as create would, changing nothing: forms validate as you type. */
  'volume.validate': [CreateRequest, { ok: true }];
  'volume.inspect': [NamesRequest, VolumeInspect[]];
  'volume.list': [ListRequest, VolumeInspect[]];
  /** The list as changes since the window's last one, or whole when that one is not known. */
  'volume.changes': [ChangesRequest, VolumeChanges];
  'volume.mount': [NamesRequest, BatchItem<MountOutcome>[]];
  'volume.unmount': [ForceNamesRequest, BatchItem<UnmountOutcome>[]];
  'volume.remove': [ForceNamesRequest, BatchItem<RemoveOutcome>[]];
  'volume.prune': [PruneRequest, BatchItem<RemoveOutcome>[]];
  /** What removing each volume would delete, counted, for the confirmation that names it. */
  'volume.contents': [NamesRequest, VolumeContents[]];
  'volume.reload': [Empty, ReloadReport];
  /** podman 6.1's rename: a volume nothing holds takes a new name, its data with it. */
  'volume.rename': [RenameRequest, VolumeInspect];
  /** Changes what can change after create: the mount policy, the labels, a local volume's options. */
  'volume.set': [SetRequest, VolumeInspect];
  /** Mounts every `login` volume that is not mounted: what runs at login; safe to run again. */
  'volume.restore': [Empty, RestoreItem[]];
  /** What failed at the last restore (at login), once, for the window to show at its start. */
  'volume.restoreFailures': [Empty, RestoreItem[]];
  'driver.list': [Empty, DriverInfo[]];
  /** Every place a plugin is looked for (a socket, a spec, a containers.conf), to say where one belongs. */
  'driver.places': [Empty, string[]];
  'nfs.exports': [ServerRequest, NfsExport[]];
  /** The folders in one folder, for the bind form's folder picker; never elevated. */
  'folder.list': [FolderRequest, FolderListing];
  /** The keys an SSH volume's server offers now, to compare before trusting one. */
  'ssh.hostKeys': [SshServerRequest, SshHostKeys];
  /** Records the confirmed key of an SSH volume's server in known_hosts; never replaces a recorded one. */
  'ssh.trust': [TrustRequest, { Fingerprint: string }];
  /** The folders in one folder of an SSH server, over SFTP, for the create form. */
  'ssh.folders': [SshFoldersRequest, { Path: string; Folders: string[] }];
  /** How the command line runs here, so the commands guided errors show work when pasted. */
  'app.commandLine': [Empty, CommandLine];
  /** Stops an export or import the window started; its volume is left as it was. */
  'transfer.cancel': [{ id: string }, { Cancelled: boolean }];
  /** This computer and each connection to another machine, with how its session stands. */
  'machine.list': [Empty, MachineInfo[]];
  /** Adds a connection (as `connection add`) and opens a session to it: its host key must be trusted first. */
  'machine.add': [{ name: string; url: string; identity?: string }, MachineInfo];
  /** Whether podman and Docker can reach the volumes (the plugin server), and how to point podman at it. */
  'containers.status': [Empty, ContainerServing];
  /** Serves the plugin protocol from the window's process until it closes, where nothing else does. */
  'containers.serve': [Empty, ContainerServing];
  /** What pointing podman at the server would change in the user's containers.conf, to show first. */
  'containers.confChange': [Empty, ConfChange];
  /** Writes that change, only over the text that was shown (`before`): a file changed since is refused. */
  'containers.confWrite': [{ before: string }, { Path: string }];
}

export type Operation = keyof ApiTypes;
export type RequestOf<K extends Operation> = ApiTypes[K][0];
export type ResponseOf<K extends Operation> = ApiTypes[K][1];

/** What every front end calls: one async function per operation. */
export type VolumeApi = { [K in Operation]: (request: RequestOf<K>) => Promise<ResponseOf<K>> };

/** Across IPC and HTTP errors travel as data, because Error objects lose their fields. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: GuidedErrorData };

// Every operation once: the Record type refuses a missing or an unknown one.
const OPERATIONS: Record<Operation, true> = {
  'volume.create': true,
  'volume.validate': true,
  'volume.inspect': true,
  'volume.list': true,
  'volume.changes': true,
  'volume.mount': true,
  'volume.unmount': true,
  'volume.remove': true,
  'volume.prune': true,
  'volume.contents': true,
  'volume.reload': true,
  'volume.rename': true,
  'volume.set': true,
  'volume.restore': true,
  'volume.restoreFailures': true,
  'driver.list': true,
  'driver.places': true,
  'nfs.exports': true,
  'folder.list': true,
  'ssh.hostKeys': true,
  'ssh.trust': true,
  'ssh.folders': true,
  'app.commandLine': true,
  'transfer.cancel': true,
  'machine.list': true,
  'machine.add': true,
  'containers.status': true,
  'containers.serve': true,
  'containers.confChange': true,
  'containers.confWrite': true,
};

export const operations = Object.keys(OPERATIONS) as Operation[];
