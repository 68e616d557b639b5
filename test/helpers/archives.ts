// Hand-made tar archives for the hostile-archive tests, one 512-byte header at a time with
// node-tar's Header (a test-only dependency): GNU tar would refuse to create most of them.

import { Header } from 'tar';

type Entry = { path: string; type: 'File' | 'Directory' | 'SymbolicLink' | 'Link' | 'CharacterDevice'; body?: string; linkpath?: string; mode?: number; devmaj?: number; devmin?: number };

const block = (e: Entry) => {
  const b = Buffer.alloc(512);
  new Header({ path: e.path, type: e.type, size: e.body ? Buffer.byteLength(e.body) : 0, mode: e.mode ?? (e.type === 'Directory' ? 0o755 : 0o644), mtime: new Date('2024-05-01T12:00:00Z'), ...(e.linkpath ? { linkpath: e.linkpath } : {}), ...(e.devmaj !== undefined ? { devmaj: e.devmaj, devmin: e.devmin } : {}) }).encode(b);
  return b;
};

const body = (s: string) => {
  const d = Buffer.from(s);
  const padded = Buffer.alloc(Math.ceil(d.length / 512) * 512);
  d.copy(padded);
  return padded;
};

/** A whole archive of `entries`, with the end marker; `cut` bytes are taken off its end. */
export function archive(entries: Entry[], cut = 0): Buffer {
  const parts = entries.flatMap((e) => (e.body ? [block(e), body(e.body)] : [block(e)]));
  const whole = Buffer.concat([...parts, Buffer.alloc(1024)]);
  return cut ? whole.subarray(0, whole.length - cut) : whole;
}


export interface Hostile {
  bytes: Buffer;
  /** The guided error's code. */
  code: string;
  /** What its message must name. */
  names?: string[];
}

/** The attacks and damage every import must refuse; `victim` is a directory outside any volume. */
export function hostileArchives(victim: string): Record<string, Hostile> {
  return {
    'absolute path': { bytes: archive([{ path: `${victim}/planted`, type: 'File', body: 'x' }]), code: 'ARCHIVE_ENTRY_REFUSED', names: [`${victim}/planted`] },
    '../ entry': { bytes: archive([{ path: 'ok', type: 'File', body: 'ok' }, { path: '../../planted', type: 'File', body: 'x' }]), code: 'ARCHIVE_ENTRY_REFUSED', names: ['../../planted'] },
    'symlink to /etc, then a file through it': {
      bytes: archive([{ path: 'etc', type: 'SymbolicLink', linkpath: '/etc' }, { path: 'etc/volume-manager-planted', type: 'File', body: 'x' }]),
      code: 'ARCHIVE_ENTRY_REFUSED',
      names: ['etc/volume-manager-planted', 'etc -> /etc'],
    },
    'symlink to the victim, then a file through it': {
      bytes: archive([{ path: 'v', type: 'SymbolicLink', linkpath: victim }, { path: 'v/precious', type: 'File', body: 'overwritten' }]),
      code: 'ARCHIVE_ENTRY_REFUSED',
      names: ['v/precious'],
    },
    'hard link to /etc/passwd': { bytes: archive([{ path: 'pw', type: 'Link', linkpath: '/etc/passwd' }]), code: 'ARCHIVE_ENTRY_REFUSED', names: ['pw'] },
    'device node': { bytes: archive([{ path: 'mem', type: 'CharacterDevice', devmaj: 1, devmin: 1, mode: 0o666 }]), code: 'ARCHIVE_ENTRY_REFUSED', names: ['mem'] },
    'truncated archive': { bytes: archive([{ path: 'big', type: 'File', body: 'y'.repeat(50_000) }], 30_000), code: 'ARCHIVE_TRUNCATED' },
    'archive cut at an entry boundary': { bytes: archive([{ path: 'a', type: 'File', body: 'a' }, { path: 'b', type: 'File', body: 'b' }], 1024), code: 'ARCHIVE_TRUNCATED' },
    'not an archive': { bytes: Buffer.from('this is not a tar archive\n'.repeat(100)), code: 'ARCHIVE_UNREADABLE' },
  };
}
