// The local driver's options (podman's type/device/o plus uid/gid/size), checked up front:
// every value that reaches mount is a token of a known shape, so nothing can smuggle in
// shell syntax or a second argument.

import { statSync } from 'node:fs';
import { invalidOption } from '../../errors/catalogue.js';
import { isId, MODE, SIZE } from '../../api/option-shapes.js';
import type { VolumeKind } from '../../api/types.js';

export const LOCAL_OPTION_KEYS = ['type', 'device', 'o', 'uid', 'gid', 'size'] as const;

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
}

const FS_TYPE = /^[a-z0-9][a-z0-9._+-]{0,31}$/;
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
    return opt;
  });
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
  const { type, device, o, uid, gid, size } = options;
  for (const [key, value] of [['type', type], ['device', device]] as const) {
    // mount would read such a value as an option of its own (device=-a is `mount -a`).
    if (value?.startsWith('-')) throw invalidOption(`invalid ${key} ${JSON.stringify(value)}: a value may not start with "-"`, 'mount would read it as one of its own options.');
  }
  if (type !== undefined && !FS_TYPE.test(type)) throw invalidOption(`invalid type ${JSON.stringify(type)}: a filesystem type such as tmpfs, nfs, ext4 or bind`);
  const mountOptions = parseMountOptions(o ?? '');
  if (mountOptions.some((x) => /^timeout=/i.test(x))) throw invalidOption('Volume driver timeout can only be used with non-local volume drivers', 'o=timeout=N sets how long to wait for a volume plugin; the local driver has none.');
  const uidN = uid === undefined ? undefined : parseId(uid, 'uid');
  const gidN = gid === undefined ? undefined : parseId(gid, 'gid');
  if (size !== undefined && !SIZE.test(size)) throw invalidOption(`invalid size ${JSON.stringify(size)}: a number with an optional k, m, g or % suffix`);

  if (type === undefined && device === undefined) {
    if (o !== undefined) throw invalidOption('o= needs type= or device=: there is nothing to mount');
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
    const extra = [size && `size=${size}`, uidN !== undefined && `uid=${uidN}`, gidN !== undefined && `gid=${gidN}`].filter(Boolean) as string[];
    return { kind: 'tmpfs', type, device: device ?? 'tmpfs', mountOptions: [...mountOptions, ...extra] };
  }
  if (uidN !== undefined || gidN !== undefined) {
    throw invalidOption(`uid= and gid= apply to tmpfs and plain directory volumes, not type=${type ?? '(device)'}`, 'For other filesystems pass the filesystem\'s own options in o=, such as o=uid=1000 for vfat.');
  }
  if (device === undefined) throw invalidOption(`type=${type} needs device=`);

  if (type === 'nfs' || type === 'nfs4') {
    return { kind: 'nfs', type, device, mountOptions, nfs: nfsOf(device, mountOptions) };
  }
  assertPath(device, 'device');
  const found = statKind(device);
  if (type === 'bind' || mountOptions.includes('bind') || mountOptions.includes('rbind')) {
    if (found !== 'dir') throw invalidOption(`bind source ${device} ${found === 'missing' ? 'does not exist' : 'is not a directory'}`, 'Create the directory first, or fix the path.');
    const rest = mountOptions.filter((x) => x !== 'bind' && x !== 'rbind');
    return { kind: 'bind', device, mountOptions: [mountOptions.includes('rbind') ? 'rbind' : 'bind', ...rest] };
  }
  if (found === 'missing') throw invalidOption(`device ${device} does not exist`);
  if (found !== 'file' && found !== 'block') throw invalidOption(`device ${device} is neither a block device nor an image file`);
  const loop = found === 'file' && !mountOptions.includes('loop') ? ['loop'] : [];
  return { kind: 'device', type, device, mountOptions: [...mountOptions, ...loop] };
}
