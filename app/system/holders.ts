// Which processes keep a mountpoint busy, read from /proc as fuser does. A process of
// another user is only visible to root; what cannot be read is skipped, not guessed.

import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const inside = (target: string, mountpoint: string) => target === mountpoint || target.startsWith(`${mountpoint}/`);

export function processesUsing(mountpoint: string): string[] {
  const found: string[] = [];
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return found;
  }
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    const uses: string[] = [];
    for (const link of ['cwd', 'root', 'exe']) {
      try {
        if (inside(readlinkSync(`/proc/${pid}/${link}`), mountpoint)) uses.push(link);
      } catch {
        /* process gone or not ours */
      }
    }
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        try {
          if (inside(readlinkSync(`/proc/${pid}/fd/${fd}`), mountpoint)) {
            uses.push('open file');
            break;
          }
        } catch {
          /* fd closed meanwhile */
        }
      }
    } catch {
      /* not ours */
    }
    if (uses.length) {
      let comm = '?';
      try {
        comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      } catch {
        /* gone */
      }
      found.push(`${comm} (pid ${pid}: ${uses.join(', ')})`);
    }
  }
  return found;
}
