// What a folder holds, in one walk with find: its entries, the bytes of its files, and how
// big its tar would be (each entry's 512-byte header, its data in whole blocks, the end marker
// padded to GNU tar's 10240-byte records). What this user cannot read is left out. A walk that
// takes longer than `timeoutMs` gives up: a guess that blocks a window is worse than none.

import { execArgv } from './exec-argv.js';

export interface TreeSize {
  entries: number;
  bytes: number;
  tarBytes: number;
}

export async function treeSize(dir: string, timeoutMs = 10_000): Promise<TreeSize | undefined> {
  const r = await execArgv('find', [dir, '-mindepth', '1', '-printf', '%y %s\\n'], { timeoutMs });
  if (r.timedOut || r.code === null) return undefined;
  let entries = 0;
  let bytes = 0;
  let blocks = 512;
  for (const line of r.stdout.split('\n')) {
    if (!line) continue;
    entries++;
    const size = line.startsWith('f ') ? Number(line.slice(2)) : 0;
    bytes += size;
    blocks += 512 + Math.ceil(size / 512) * 512;
  }
  return { entries, bytes, tarBytes: Math.ceil((blocks + 1024) / 10240) * 10240 };
}
