// How big the tar of a volume will be, for an export's progress total (and so its time left):
// each entry's 512-byte header, its data rounded up to whole blocks, and the end marker
// padded to GNU tar's 10240-byte records. What this user cannot read is left out, so the
// total can run short for an export that root makes; the progress then ends early, no more.

import { execArgv } from './exec-argv.js';

export async function estimateArchiveSize(dir: string): Promise<number | undefined> {
  const r = await execArgv('find', [dir, '-printf', '%y %s\\n'], { timeoutMs: 10_000 });
  if (r.timedOut || r.stdout === '') return undefined;
  let bytes = 0;
  for (const line of r.stdout.split('\n')) {
    if (!line) continue;
    const size = line.startsWith('f ') ? Number(line.slice(2)) : 0;
    bytes += 512 + Math.ceil(size / 512) * 512;
  }
  return Math.ceil((bytes + 1024) / 10240) * 10240;
}
