// The error catalogue's entries for export and import: what a person meets when an archive is
// refused, cut short or does not fit, and when a volume is busy with another one.

import { GuidedError } from '../errors/guided-error.js';
import { formatBytes } from '../api/bytes.js';
import { shellWord } from '../errors/shell-words.js';

const CLI = 'volume-manager';

export interface RefusedEntry {
  /** The entry as the archive names it. */
  entry: string;
  /** absolute, dotdot, through-symlink, hard-link, hard-link-absolute, symlink-outside, device */
  reason: string;
}

const REASONS: Record<string, string> = {
  absolute: 'an absolute path',
  dotdot: 'a ".." component',
  'through-symlink': 'a path through a symlink',
  'hard-link': 'a hard link to a file the archive does not hold',
  'hard-link-absolute': 'a hard link with an absolute target',
  'symlink-outside': 'a symlink that leads out of the volume',
  device: 'a device node',
};

export const archiveEntriesRefused = (name: string, entries: RefusedEntry[], file: string) =>
  new GuidedError({
    code: 'ARCHIVE_ENTRY_REFUSED',
    title: 'The archive has entries that could write outside the volume',
    happened: `refused ${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}: ${entries
      .slice(0, 12)
      .map((e) => `${e.entry} (${REASONS[e.reason] ?? e.reason})`)
      .join('; ')}${entries.length > 12 ? `; and ${entries.length - 12} more` : ''}`,
    why: `An import may only create files inside ${name}. Absolute paths, "..", links that lead out and device nodes could change or expose files elsewhere on this machine, so the whole archive was refused: nothing was imported and ${name} is as it was.`,
    steps: [
      { text: 'See what the archive holds:', command: `tar -tvf ${shellWord(file)}` },
      { text: 'If you made it, make it again from inside the folder, with relative paths:', command: 'tar -C /path/to/folder -cf archive.tar .' },
    ],
  });

/** The tool that writes each compression's contents out plainly. */
const DECOMPRESS: Record<string, string> = { gzip: 'zcat', bzip2: 'bzcat', xz: 'xzcat', zstd: 'zstdcat', lzip: 'lzip -dc' };

/** `file` starts with the magic of `compression` (archive-guard.ts): import reads plain tar only. */
export const compressedArchive = (name: string, compression: string, file: string) =>
  new GuidedError({
    code: 'ARCHIVE_UNREADABLE',
    title: 'The archive is compressed',
    happened: `${file} is ${compression === 'compressed' ? 'a compressed file' : `a ${compression} file`}, not a plain tar archive`,
    why: `Import reads plain tar, as podman volume import does; nothing was imported and ${name} is as it was.`,
    steps: [{ text: `Decompress it on the way in with ${DECOMPRESS[compression] ?? 'its decompressor'}:`, command: `${DECOMPRESS[compression] ?? 'zcat'} ${shellWord(file)} | ${CLI} volume import ${name} -` }],
  });

/** GNU tar could not read `file`; `happened` is what it said. */
export const archiveUnreadable = (name: string, happened: string, file: string) =>
  new GuidedError({
    code: 'ARCHIVE_UNREADABLE',
    title: 'The file is not a tar archive',
    happened,
    why: `GNU tar could not read it as an archive; nothing was imported and ${name} is as it was.`,
    steps: [
      { text: 'Check what the file is:', command: `file ${shellWord(file)}` },
      { text: 'An archive made by volume export or tar -cf can be imported.' },
    ],
  });

export const archiveTruncated = (name: string, happened: string) =>
  new GuidedError({
    code: 'ARCHIVE_TRUNCATED',
    title: 'The archive ends too early',
    happened,
    why: `The archive was cut short (an interrupted copy or download), so it lacks files or the end marker every whole tar archive has. Nothing was imported; ${name} is as it was.`,
    steps: [{ text: 'Copy or download the archive again, or export it again from where it came from.' }],
  });

export const archiveExists = (path: string) =>
  new GuidedError({
    code: 'ARCHIVE_EXISTS',
    title: 'The file already exists',
    happened: `${path} exists`,
    why: 'An export never overwrites a file unless you say so; nothing was written.',
    steps: [
      { text: 'Choose another file name, or replace this one:', command: `${CLI} volume export --force --output ${path} NAME` },
    ],
  });

export const sourceUnreadable = (name: string, happened: string) =>
  new GuidedError({
    code: 'ARCHIVE_SOURCE_UNREADABLE',
    title: 'Some files in the volume cannot be read',
    happened,
    why: `The export runs with your own rights where ${name} does not need root, and GNU tar could not read everything; the archive was not kept, since it would lack those files.`,
    steps: [{ text: 'Make the files readable to you, or export as root:', command: `sudo ${CLI} volume export --output ${name}.tar ${name}` }],
  });

export const importUnwritable = (name: string, mountpoint: string, source: string | undefined) =>
  new GuidedError({
    code: 'PERMISSION_DENIED',
    title: 'You may not write into this volume',
    happened: `${mountpoint} is not writable by you${source ? ` (it shows ${source})` : ''}`,
    why: `An import writes with your own rights into ${name}, whose files are ${source ?? 'the volume\'s source'}, not data Volume Manager made: a password prompt grants mounts, never writing where you could not. Nothing was imported.`,
    steps: [
      { text: 'See who may write there:', command: `ls -ld ${source ?? mountpoint}` },
      { text: 'Import into a volume of your own instead, for example a tmpfs:', command: `${CLI} volume create --opt type=tmpfs --opt size=1g ${name}-copy` },
    ],
  });

export const replaceRefused = (name: string, mountpoint: string) =>
  new GuidedError({
    code: 'PERMISSION_DENIED',
    title: 'Volume Manager will not replace what this path holds',
    happened: `${mountpoint}, the path the plugin of ${name} named, is not a mount of its own`,
    why: 'A replace deletes what the volume held. As root, that is done only inside a mount the plugin made for the volume: a plugin that named another directory would have root delete it. Nothing was changed.',
    steps: [
      { text: 'See what is mounted there:', command: `findmnt -T ${mountpoint}` },
      { text: 'Empty the volume through the plugin (remove it and create it again), then import without --replace.' },
    ],
  });

export const volumeFull = (name: string, mountpoint: string, need: number | undefined, free: number, happened?: string) =>
  new GuidedError({
    code: 'VOLUME_FULL',
    title: 'Not enough space in the volume',
    happened: happened ?? `the archive holds ${formatBytes(need ?? 0)}; ${name} has ${formatBytes(free)} free`,
    why: `The files must fit in ${name} before they replace anything, so nothing was imported and ${name} is as it was.`,
    steps: [
      { text: `See how big ${name} is:`, command: `df -h ${mountpoint}` },
      { text: 'Free space in it, or import into a larger volume, for example:', command: `${CLI} volume create --opt type=tmpfs --opt size=${Math.max(1, Math.ceil(((need ?? free) * 1.2) / 1e6))}m ${name}-larger` },
    ],
  });

export const volumeBusy = (name: string) =>
  new GuidedError({
    code: 'VOLUME_BUSY',
    title: 'The volume is busy with another export or import',
    happened: `an export or import of ${name} is running`,
    why: 'One export or import at a time per volume keeps an archive from mixing two states of it.',
    steps: [{ text: 'Wait for it to finish, or cancel it in the window that started it, then try again.' }],
  });

export const volumeNotEmpty = (name: string, entries: number, bytes: number) =>
  new GuidedError({
    code: 'VOLUME_NOT_EMPTY',
    title: 'The volume already holds files',
    happened: `${name} holds ${entries} ${entries === 1 ? 'file or folder' : 'files and folders'} (${formatBytes(bytes)})`,
    why: `An import replaces everything in ${name} with the archive's contents, so it asks first; nothing was changed.`,
    steps: [
      { text: `Export ${name} first if you want to keep what it holds:`, command: `${CLI} volume export --output ${name}-before.tar ${name}` },
      { text: 'Then replace its contents:', command: `${CLI} volume import --replace ${name} ARCHIVE.tar` },
    ],
  });

export const importNotApplied = (name: string, happened: string) =>
  new GuidedError({
    code: 'IMPORT_NOT_APPLIED',
    title: 'The archive could not be put in place',
    happened,
    why: `The archive was read in full, but moving its files into ${name} failed (another program took a name, or an old entry could not be moved aside). What was moved was moved back: ${name} holds what it held before.`,
    steps: [{ text: 'Stop what writes into the volume, then import again.' }],
  });

export const transferCancelled = (name: string, op: 'export' | 'import', left: string) =>
  new GuidedError({
    code: 'TRANSFER_CANCELLED',
    title: op === 'export' ? 'Export cancelled' : 'Import cancelled',
    happened: `the ${op} of ${name} was cancelled; ${left}`,
    why: 'It was stopped before the end, on request.',
    steps: [{ text: `Start the ${op} again when you are ready.` }],
  });

export const tmpfsNotMounted = (name: string) =>
  new GuidedError({
    code: 'VOLUME_NOT_MOUNTED',
    title: 'Mount the volume first',
    happened: `${name} is a tmpfs volume that is not mounted`,
    why: `A tmpfs volume keeps its files only while it is mounted. An import mounts a volume for its own time and unmounts it after, so into ${name} as it is now the files would vanish at once; nothing was changed.`,
    steps: [
      { text: 'Mount it, then import:', command: `${CLI} volume mount ${name}` },
    ],
  });
