// The local driver's options (podman's type/device/o plus uid/gid/size), checked up front:
// every value that reaches mount is a token of a known shape, so nothing can smuggle in
// shell syntax or a second argument.

import { statSync } from 'node:fs';
import { invalidOption } from '../../errors/catalogue.js';
import { isId, MODE, SIZE } from '../../api/option-shapes.js';
import type { VolumeKind } from '../../api/types.js';
import { DISK_TYPES, type MountVia } from '../../system/commands.js';

/**
 * What podman's local driver takes for its container-side work: copying an image's files into
 * a new volume (nocopy, copy) and project quotas (noquota). Neither happens here, so they are
 * kept in the record, as podman keeps them, and change nothing.
 */
export const PODMAN_ONLY_KEYS = ['nocopy', 'copy', 'noquota'] as const;

export const LOCAL_OPTION_KEYS = ['type', 'device', 'o', 'uid', 'gid', 'size', ...PODMAN_ONLY_KEYS] as const;

/** What the local driver does to mount one volume; derived from options, never stored. */
export interface LocalMountSpec {
  kind: VolumeKind;
  /** `-t` argument; absent for bind mounts and for devices whose type mount detects. */
  type?: string;
  device?: string;
  /** `-o` list, in order. */
  mountOptions: string[];
  /** For volumes that are plain directories: the owner to give the directory. */
  owner?: { uid?: number; gid?: number };
  nfs?: { server: string; path: string; port: number };
  /**
   * What the device names, for those the caller brings: a directory (bind), an image file or
   * a block device. These are opened with the caller's rights before anything is mounted.
   */
  source?: Extract<MountVia, 'dir' | 'image' | 'block'>;
}

const FS_TYPE = /^[a-z0-9][a-z0-9._+-]{0,31}$/;

/** What type= may be; `none` only with o=bind, as podman spells a bind. */
export const MOUNTABLE_TYPES: readonly string[] = ['tmpfs', 'bind', 'none', 'nfs', 'nfs4', ...DISK_TYPES];

/**
 * Options that would make a mount more than a mount of the volume: a recursive bind copies
 * submounts without nosuid,nodev; propagation and move flags reach mounts outside the volume;
 * loop, helper and X- options make mount(8) set up devices, run helpers or chown the target.
 */
const REFUSED_OPTION = /^(rbind|move|remount|r?shared|r?slave|r?private|r?unbindable|make-.*|loop=.*|offset=.*|sizelimit=.*|encryption=.*|helper=.*|uhelper=.*|x-.*|X-.*)$/;
const MOUNT_OPTION = /^[A-Za-z][A-Za-z0-9_.+-]*(=[A-Za-z0-9_.:\/@+-]*)?$/;
const PATH = /^\/[A-Za-z0-9_.@+:,=\/-]*$/;
const NFS_DEVICE = /^([A-Za-z0-9][A-Za-z0-9.-]*|\[[0-9A-Fa-f:.]+\]):(\/[A-Za-z0-9_.@+:,=\/-]*)$/;

function assertPath(value: string, key: string): void {
  if (!PATH.test(value)) {
    throw invalidOption(`invalid ${key} ${JSON.stringify(value)}: must be an absolute path of letters, digits and _ . @ + : , = - /`);
  }
  if (value.split('/').some((seg) => seg === '.' || seg === '..') || value.includes('//')) {
    throw invalidOption(`invalid ${key} ${JSON.stringify(value)}: "." and ".." segments and "//" are not allowed; give the resolved path`);
  }
}

function parseMountOptions(o: string): string[] {
  if (o === '') return [];
  return o.split(',').map((opt) => {
    if (!MOUNT_OPTION.test(opt)) {
      throw invalidOption(`invalid mount option ${JSON.stringify(opt)} in o=: options are name or name=value: a name starts with a letter, values are letters, digits and _ . : / @ + -`);
    }
    if (REFUSED_OPTION.test(opt)) {
      throw invalidOption(
        `refusing mount option ${JSON.stringify(opt)} in o=: recursive binds, propagation and move flags, loop set-up, helpers and X- options reach beyond the volume`,
        opt === 'rbind' ? 'Use o=bind: a volume binds one directory, not the mounts below it.' : 'Leave the option out; a volume is mounted on its own, private to its mountpoint.',
      );
    }
    return opt;
  });
}

/** A type outside MOUNTABLE_TYPES, as a guided error that says what to use instead. */
function typeRefused(type: string) {
  const fuse = type === 'fuse' || type === 'fuseblk' || type.startsWith('fuse.');
  return invalidOption(
    `refusing type ${JSON.stringify(type)}: ${fuse ? 'a FUSE file system runs a program of its own at mount, which root would run for you' : 'not a kernel file system Volume Manager mounts'}`,
    fuse
      ? 'FUSE file systems mount without root: mount it yourself (for example with sshfs), or make an SSH volume with --driver sshfs, which needs no password at all.'
      : `Volume Manager mounts ${MOUNTABLE_TYPES.filter((t) => t !== 'none').join(', ')}; leave type= out for a device image and mount detects which of these it holds.`,
  );
}

function parseId(value: string, key: 'uid' | 'gid'): number {
  if (!isId(value)) throw invalidOption(`invalid ${key} ${JSON.stringify(value)}: must be a number`);
  return Number(value);
}

function statKind(path: string): 'dir' | 'file' | 'block' | 'missing' | 'other' {
  try {
    const st = statSync(path);
    if (st.isDirectory()) return 'dir';
    if (st.isFile()) return 'file';
    if (st.isBlockDevice()) return 'block';
    return 'other';
  } catch {
    return 'missing';
  }
}

function nfsOf(device: string, options: string[]): LocalMountSpec['nfs'] {
  const m = NFS_DEVICE.exec(device);
  if (!m) throw invalidOption(`invalid NFS device ${JSON.stringify(device)}: expected server:/export`, 'For example device=192.168.1.10:/srv/share');
  const portOpt = options.find((o) => o.startsWith('port='));
  const port = portOpt ? Number(portOpt.slice(5)) : 2049;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw invalidOption(`invalid NFS port ${JSON.stringify(portOpt)}`);
  const addr = options.find((o) => o.startsWith('addr='));
  const host = m[1]!.replace(/^\[|\]$/g, '');
  return { server: addr ? addr.slice(5) : host, path: m[2]!, port: port === 0 ? 2049 : port };
}

/** o= holding only uid= and gid=: podman's spelling of a plain directory's owner. */
function ownerOnly(mountOptions: string[]): { uid?: string; gid?: string } | null {
  if (!mountOptions.length || !mountOptions.every((x) => /^(uid|gid)=/.test(x))) return null;
  const get = (k: string) => mountOptions.find((x) => x.startsWith(`${k}=`))?.slice(k.length + 1);
  return { uid: get('uid'), gid: get('gid') };
}

/**
 * Validates local-driver options and derives how to mount them. Throws INVALID_OPTION
 * naming the first bad key or value; checks that bind sources and devices exist now,
 * because a typo found at create time is cheaper than one found at mount time.
 */
export function parseLocalOptions(options: Record<string, string>): LocalMountSpec {
  for (const key of Object.keys(options)) {
    if (!(LOCAL_OPTION_KEYS as readonly string[]).includes(key)) {
      throw invalidOption(`invalid mount option ${key} for driver 'local'`, `Allowed keys: ${LOCAL_OPTION_KEYS.join(', ')}.`);
    }
  }
  const { device, o, size } = options;
  // podman's -o device=tmpfs alone: a memory volume, which is all such a device can be.
  const type = options.type ?? (device === 'tmpfs' ? 'tmpfs' : undefined);
  let { uid, gid } = options;
  for (const [key, value] of [['type', type], ['device', device]] as const) {
    // mount would read such a value as an option of its own (device=-a is `mount -a`).
    if (value?.startsWith('-')) throw invalidOption(`invalid ${key} ${JSON.stringify(value)}: a value may not start with "-"`, 'mount would read it as one of its own options.');
  }
  if (type !== undefined && !FS_TYPE.test(type)) throw invalidOption(`invalid type ${JSON.stringify(type)}: a filesystem type such as tmpfs, nfs, ext4 or bind`);
  if (type !== undefined && !MOUNTABLE_TYPES.includes(type)) throw typeRefused(type);
  const mountOptions = parseMountOptions(o ?? '');
  if (mountOptions.some((x) => /^timeout=/i.test(x))) throw invalidOption('Volume driver timeout can only be used with non-local volume drivers', 'o=timeout=N sets how long to wait for a volume plugin; the local driver has none.');
  if (size !== undefined && !SIZE.test(size)) throw invalidOption(`invalid size ${JSON.stringify(size)}: a number with an optional k, m, g or % suffix`);

  const owner = type === undefined && device === undefined ? ownerOnly(mountOptions) : null;
  if (owner) {
    uid ??= owner.uid;
    gid ??= owner.gid;
  }
  const uidN = uid === undefined ? undefined : parseId(uid, 'uid');
  const gidN = gid === undefined ? undefined : parseId(gid, 'gid');
  if (type === undefined && device === undefined) {
    if (o !== undefined && !owner) throw invalidOption('o= needs type= or device=: there is nothing to mount', 'A plain directory takes only o=uid=N,gid=N, its owner.');
    if (size !== undefined) throw invalidOption('size= is only supported with type=tmpfs', 'Add --opt type=tmpfs to make a size-limited memory volume.');
    return { kind: 'directory', mountOptions: [], owner: uidN !== undefined || gidN !== undefined ? { uid: uidN, gid: gidN } : undefined };
  }
  if (size !== undefined && type !== 'tmpfs') throw invalidOption('size= is only supported with type=tmpfs');

  if (type === 'tmpfs') {
    // mount accepts any mode= and the kernel refuses it only at mount time, as "bad option".
    const mode = mountOptions.find((x) => x.startsWith('mode='));
    if (mode && !MODE.test(mode.slice(5))) throw invalidOption(`invalid tmpfs mode ${JSON.stringify(mode.slice(5))}: an octal permission such as 1777 or 0755`);
    if (device !== undefined && device !== 'tmpfs' && !/^[A-Za-z0-9_.][A-Za-z0-9_.-]{0,63}$/.test(device)) {
      throw invalidOption(`invalid tmpfs device ${JSON.stringify(device)}: a tmpfs source is just a label such as tmpfs`);
    }
    if (mountOptions.includes('bind')) throw invalidOption('o=bind is for type=bind: a tmpfs is a file system of its own');
    const extra = [size && `size=${size}`, uidN !== undefined && `uid=${uidN}`, gidN !== undefined && `gid=${gidN}`].filter(Boolean) as string[];
    return { kind: 'tmpfs', type, device: device ?? 'tmpfs', mountOptions: [...mountOptions, ...extra] };
  }
  if (uidN !== undefined || gidN !== undefined) {
    throw invalidOption(`uid= and gid= apply to tmpfs and plain directory volumes, not type=${type ?? '(device)'}`, 'For other filesystems pass the filesystem\'s own options in o=, such as o=uid=1000 for vfat.');
  }
  if (device === undefined) throw invalidOption(`type=${type} needs device=`);

  if (type === 'nfs' || type === 'nfs4') {
    if (mountOptions.includes('bind')) throw invalidOption(`o=bind is for type=bind, not type=${type}`);
    return { kind: 'nfs', type, device, mountOptions, nfs: nfsOf(device, mountOptions) };
  }
  assertPath(device, 'device');
  const found = statKind(device);
  if (type === 'bind' || mountOptions.includes('bind')) {
    if (found !== 'dir') throw invalidOption(`bind source ${device} ${found === 'missing' ? 'does not exist' : 'is not a directory'}`, 'Create the directory first, or fix the path.');
    const rest = mountOptions.filter((x) => x !== 'bind');
    return { kind: 'bind', device, source: 'dir', mountOptions: ['bind', ...rest] };
  }
  if (type === 'none') throw invalidOption('type=none needs o=bind: it names no file system of its own', 'For a folder: --opt type=bind --opt device=/path/to/folder');
  if (found === 'missing') throw invalidOption(`device ${device} does not exist`);
  if (found !== 'file' && found !== 'block') throw invalidOption(`device ${device} is neither a block device nor an image file`);
  // An image is always loop-mounted: "loop" is implied, and set up by whoever mounts it.
  return { kind: 'device', type, device, source: found === 'file' ? 'image' : 'block', mountOptions: mountOptions.filter((x) => x !== 'loop') };
}
