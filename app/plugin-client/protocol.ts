// The Docker volume plugin protocol (docs.docker.com/engine/extend/plugins_volume), as both
// Docker and podman speak it: one HTTP POST per call with a JSON body. These are the
// request and response bodies of every call; the field names are the protocol's.

/**
 * The name this app serves the protocol under (`plugin serve`): Docker finds it as
 * volume-manager.sock, podman by this key in containers.conf. The client never uses it: its
 * volumes are the engine's own, and calling itself would wait on its own locks.
 */
export const SELF_PLUGIN = 'volume-manager';

/** The calls of the protocol, by path. */
export interface PluginCalls {
  'Plugin.Activate': [Record<string, never>, { Implements?: string[] }];
  'VolumeDriver.Create': [{ Name: string; Opts: Record<string, string> }, ErrBody];
  'VolumeDriver.Remove': [{ Name: string }, ErrBody];
  'VolumeDriver.Mount': [{ Name: string; ID: string }, ErrBody & { Mountpoint?: string }];
  'VolumeDriver.Unmount': [{ Name: string; ID: string }, ErrBody];
  'VolumeDriver.Path': [{ Name: string }, ErrBody & { Mountpoint?: string }];
  'VolumeDriver.Get': [{ Name: string }, ErrBody & { Volume?: PluginVolume }];
  'VolumeDriver.List': [Record<string, never>, ErrBody & { Volumes?: PluginVolume[] }];
  'VolumeDriver.Capabilities': [Record<string, never>, { Capabilities?: { Scope?: string } }];
}

export type PluginCall = keyof PluginCalls;

/** Every response may carry `Err`; an empty string means success. */
export interface ErrBody {
  Err?: string;
}

export interface PluginVolume {
  Name: string;
  Mountpoint?: string;
  CreatedAt?: string;
  Status?: Record<string, unknown>;
}

/**
 * The one ID sent with every Mount and Unmount: podman's, the sha256 of "placeholder\n".
 * Plugins count mounts per ID; the engine keeps its own counter, so the plugin sees one
 * user and exactly one Mount before each Unmount.
 */
export const PSEUDO_ID = '2f73349cfc4630255319c6c8dfc1b46a8996ace9d14d8e07563b165915918ec2';

/** What Docker sends as Accept; plugins answer with any v1.x or plain JSON. */
export const ACCEPT = 'application/vnd.docker.plugins.v1.2+json';

const PLUGIN_TYPES = /^application\/(vnd\.docker\.plugins\.v1(\.\d+)?\+json|json)\s*(;|$)/i;

/** A missing Content-Type is tolerated (hand-written plugins omit it); a foreign one is not. */
export const isPluginContentType = (type: string | undefined) => type === undefined || type === '' || PLUGIN_TYPES.test(type);
