// Which boot of the machine this is. Nothing mounted survives a reboot, so a counter written
// during another boot counts nothing; the kernel's boot id tells the boots apart.

import { readFileSync } from 'node:fs';

let cached: string | undefined | null = null;

/** The kernel's random boot id, or undefined where /proc does not say. Read once per process. */
export function currentBootId(): string | undefined {
  if (cached !== null) return cached;
  try {
    cached = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    cached = undefined;
  }
  return cached;
}
