// The steps the local driver runs. Only the first mount and the last unmount get here;
// the engine's counter decides when.

import type { Job } from '../system/commands.js';
import type { LocalMountSpec } from '../volume/local-options.js';

/** podman's mount: `mount [-t TYPE] [-o OPTS] DEVICE MOUNTPOINT`. */
export function mountJob(spec: LocalMountSpec, mountpoint: string): Job {
  const args: string[] = [];
  if (spec.type && spec.kind !== 'bind') args.push('-t', spec.type);
  if (spec.mountOptions.length) args.push('-o', spec.mountOptions.join(','));
  args.push(spec.device ?? spec.type ?? 'none', mountpoint);
  return [{ bin: 'mount', args }];
}

/** A plain unmount, so a busy volume is reported; force detaches it (lazy) as podman does. */
export function unmountJob(mountpoint: string, force: boolean): Job {
  return [{ bin: 'umount', args: force ? ['-l', mountpoint] : [mountpoint] }];
}
