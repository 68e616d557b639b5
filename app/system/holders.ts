// Which processes keep a mountpoint busy, read from /proc as fuser does. A process of
// another user is only visible to root; what cannot be read is skipped, not guessed.

import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const inside = (target: string, mountpoint: string) => target === mountpoint || target.startsWith(`${mountpoint}/`);

/**
 * For each of `mountpoints`, the processes that use it, as "command (pid N: how)": /proc is
 * walked once, however many mountpoints are asked about.
 */
export function processesUsingEach(mountpoints: string[]): Map<string, string[]> {
  const found = new Map(mountpoints.map((m) => [m, [] as string[]]));
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return found;
  }
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    const uses = new Map(mountpoints.map((m) => [m, [] as string[]]));
    for (const link of ['cwd', 'root', 'exe']) {
      try {
        const target = readlinkSync(`/proc/${pid}/${link}`);
        for (const m of mountpoints) if (inside(target, m)) uses.get(m)!.push(link);
      } catch {
        /* process gone or not ours */
      }
    }
    try {
      const open = new Set<string>();
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        if (open.size === mountpoints.length) break;
        try {
          const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
          for (const m of mountpoints) if (!open.has(m) && inside(target, m)) open.add(m);
        } catch {
          /* fd closed meanwhile */
        }
      }
      for (const m of open) uses.get(m)!.push('open file');
    } catch {
      /* not ours */
    }
    const held = [...uses].filter(([, how]) => how.length > 0);
    if (held.length === 0) continue;
    let comm = '?';
    try {
      comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      /* gone */
    }
    for (const [m, how] of held) found.get(m)!.push(`${comm} (pid ${pid}: ${how.join(', ')})`);
  }
  return found;
}

export const processesUsing = (mountpoint: string): string[] => processesUsingEach([mountpoint]).get(mountpoint)!;
