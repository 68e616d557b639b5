// The steps the local driver runs. Only the first mount and the last unmount get here;
// the engine's counter decides when.

import type { Job, MountVia } from '../../system/commands.js';
import type { LocalMountSpec } from './options.js';

const viaOf = (spec: LocalMountSpec): MountVia => spec.source ?? (spec.nfs ? 'net' : 'label');

/** podman's mount: `mount [-t TYPE] [-o OPTS] -- DEVICE MOUNTPOINT`. */
export function mountJob(spec: LocalMountSpec, mountpoint: string): Job {
  const type = spec.type && spec.kind !== 'bind' ? spec.type : undefined;
  return [{ op: 'mount', via: viaOf(spec), type, options: spec.mountOptions, source: spec.device ?? spec.type ?? 'none', target: mountpoint }];
}

/** A plain unmount, so a busy volume is reported; force detaches it (lazy) as podman does. */
export function unmountJob(mountpoint: string, force: boolean): Job {
  return [{ op: 'umount', target: mountpoint, lazy: force }];
}
