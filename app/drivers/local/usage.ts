// Space used on mounted volumes, for the window's list. Only for kinds whose statfs answers
// at once and is the volume's own (tmpfs, device): statfs on a dead NFS server blocks for
// minutes, and a bind's is the whole file system its folder lives on, not the folder.

import { statfsSync } from 'node:fs';
import type { VolumeInspect } from '../../api/types.js';

const CHEAP = new Set(['tmpfs', 'device']);

export function addUsage(views: VolumeInspect[]): void {
  for (const v of views) {
    if (!v.Mounted || !CHEAP.has(v.Kind) || !v.Mountpoint) continue;
    try {
      const s = statfsSync(v.Mountpoint);
      v.Usage = { Used: (s.blocks - s.bfree) * s.bsize, Size: s.blocks * s.bsize };
    } catch {
      /* unmounted in between: the next list shows it so */
    }
  }
}
