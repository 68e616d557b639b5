// The kernel's mount table, the only truth about what is mounted. Read fresh every time:
// it is small, and a cached copy is exactly the lie reconcile exists to prevent.

import { readFileSync } from 'node:fs';

export interface MountEntry {
  mountpoint: string;
  fstype: string;
  source: string;
  options: string;
}

/** Mountinfo escapes space, tab, newline and backslash as \ooo octal. */
const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

export function parseMountinfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const left = line.slice(0, sep).split(' ');
    const right = line.slice(sep + 3).split(' ');
    entries.push({
      mountpoint: unescape(left[4] ?? ''),
      options: `${left[5] ?? ''},${right[2] ?? ''}`,
      fstype: right[0] ?? '',
      source: unescape(right[1] ?? ''),
    });
  }
  return entries;
}

/** The mount table as the kernel writes it, unparsed: equal texts are equal tables. */
export const mountTableText = (path = '/proc/self/mountinfo') => readFileSync(path, 'utf8');

export function readMountTable(path = '/proc/self/mountinfo'): MountEntry[] {
  return parseMountinfo(mountTableText(path));
}

/** The topmost entry at each mountpoint (later lines stack over earlier ones). */
export function indexByMountpoint(entries: MountEntry[]): Map<string, MountEntry> {
  const map = new Map<string, MountEntry>();
  for (const e of entries) map.set(e.mountpoint, e);
  return map;
}

/** What a view asks of the mount table: whether something is mounted at a path. */
export interface MountTable {
  has(mountpoint: string): boolean;
}

/**
 * The mount table, read at the first question and not before: a list or a batch of volumes
 * that no mount table can speak for (plugins, plain directories) never reads it.
 */
export function lazyMountTable(read: () => MountEntry[] = readMountTable): MountTable {
  let table: Map<string, MountEntry> | undefined;
  return { has: (mountpoint) => (table ??= indexByMountpoint(read())).has(mountpoint) };
}
