// Turns what mount and umount printed into the catalogue's guided errors. The patterns
// are util-linux's and nfs-utils' English messages: every command runs with LC_ALL=C.

import type { LocalMountSpec } from './options.js';
import {
  invalidOption,
  mountFailed,
  nfsAccessDenied,
  nfsExportNotFound,
  nfsHelperMissing,
  nfsKernelMissing,
  nfsServerUnreachable,
  sourceRefused,
  targetRefused,
  unmountFailed,
} from '../../errors/catalogue.js';
import type { GuidedError } from '../../errors/guided-error.js';
import { ROOT_REFUSAL } from '../../system/root-script.js';

export function classifyMountError(name: string, spec: LocalMountSpec, output: string): GuidedError {
  if (output.includes(`${ROOT_REFUSAL}the caller (uid`) && spec.device) return sourceRefused(name, spec.device, output);
  if (/^volume-manager \(root\): refusing (type|option|a directory mount)/m.test(output)) return invalidOption(output, 'The stored options of this volume are not ones Volume Manager mounts; remove the volume and create it again.');
  if (output.includes(ROOT_REFUSAL)) return targetRefused(name, output);
  if (spec.nfs) {
    const { server, path, port } = spec.nfs;
    if (/unknown filesystem type 'nfs4?'|mount\.nfs4?\b.*helper program|wrong fs type.*nfs/i.test(output)) return nfsHelperMissing(output);
    if (/mount\.nfs4?: No such device/i.test(output)) return nfsKernelMissing(output);
    if (/access denied by server/i.test(output)) return nfsAccessDenied(server, output);
    if (/No such file or directory|not exported|mount path not found/i.test(output) && /mount\.nfs/.test(output)) return nfsExportNotFound(server, path, [], output);
    if (/Connection refused|Connection timed out|No route to host|timed out|Network is unreachable/i.test(output)) return nfsServerUnreachable(server, port, output);
  } else if (/unknown filesystem type 'nfs4?'/.test(output)) {
    return nfsHelperMissing(output);
  }
  return mountFailed(name, output);
}

export function classifyUnmountError(name: string, output: string): GuidedError {
  if (output.includes(ROOT_REFUSAL)) return targetRefused(name, output);
  return unmountFailed(name, output);
}

/** util-linux says "target is busy"; older versions "device is busy". */
export const isBusy = (output: string) => /target is busy|device is busy/i.test(output);
export const isNotMounted = (output: string) => /not mounted|no mount point specified/i.test(output);
