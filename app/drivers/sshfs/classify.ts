// What sshfs, ssh and fusermount3 printed, as the catalogue's guided errors. Every command
// runs with LC_ALL=C, so the patterns are OpenSSH's and FUSE's English messages.

import { fuseMissing, mountFailed, sshAuthRefused, sshHostChanged, sshNoSftp, sshRemotePathMissing, sshUnreachable, unmountFailed } from '../../errors/catalogue.js';
import type { GuidedError } from '../../errors/guided-error.js';
import { knownHostsName, type SshSpec } from './options.js';
import { sshTarget } from './ssh.js';

export const isUnknownHost = (output: string) => /No \S+ host key is known for|Host key verification failed/.test(output) && !isChangedHost(output);
const isChangedHost = (output: string) => /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/.test(output);
/** sshfs's own words when it has not said why. */
export const saysNothing = (output: string) => !output.trim() || /^read: Connection reset by peer$/m.test(output.trim());

/** The failure of a mount, from sshfs's output and, where it said nothing, ssh's diagnosis; not for an unknown host (that needs the keys). */
export function classifySshMount(name: string, spec: SshSpec, output: string, knownHosts: string): GuidedError {
  const target = sshTarget(spec);
  if (isChangedHost(output)) return sshHostChanged(knownHostsName(spec), output, knownHosts);
  if (/Permission denied \(/.test(output)) return sshAuthRefused(target, output);
  if (/Connection refused|Connection timed out|timed out|No route to host|Could not resolve hostname|Network is unreachable/i.test(output)) return sshUnreachable(target, spec.port, output);
  if (/subsystem request failed/i.test(output)) return sshNoSftp(target, output);
  if (/No such file or directory|not a directory/i.test(output) && output.includes(spec.path)) return sshRemotePathMissing(target, spec.path, output);
  if (/fuse: device not found|\/dev\/fuse/i.test(output)) return fuseMissing(output);
  return mountFailed(name, output);
}

export const classifySshUnmount = (name: string, output: string) => unmountFailed(name, output);
export const isFuseBusy = (output: string) => /Device or resource busy|target is busy/i.test(output);
export const isFuseNotMounted = (output: string) => /not mounted|not found in \/etc\/mtab|Invalid argument/i.test(output);
