// What removing a volume deletes, for the confirmation that names it: the files of a plain
// directory (and of a mounted tmpfs, whose memory goes with it), counted; nothing but the
// volume where its data lives elsewhere; or what its plugin decides. And, for a mounted
// volume, who holds it: what an unmount would find busy.

import { assertVolumeName } from '../api/names.js';
import type { VolumeContents, VolumeInspect } from '../api/types.js';
import { volumeNotFound } from '../errors/catalogue.js';
import { processesUsingEach } from '../system/holders.js';
import { treeSize } from '../system/tree-size.js';
import type { VolumeData } from '../drivers/driver.js';
import type { VolumeEngine } from './engine.js';

/** A count must not hold a window: a volume that takes longer is named without its numbers. */
const COUNT_MS = 3000;

async function whatGoes(v: VolumeInspect, data: VolumeData): Promise<VolumeContents> {
  if (data.origin === 'named') return { Name: v.Name, Loses: v.Plugin?.State === 'missing' ? 'record' : 'plugin' };
  const holdsFiles = data.origin === 'made' && (!data.lostAtUnmount || v.Mounted);
  if (!holdsFiles) return { Name: v.Name, Loses: 'nothing', ...(v.Options.device && data.origin === 'brought' ? { Source: v.Options.device } : {}) };
  const size = v.Mountpoint ? await treeSize(v.Mountpoint, COUNT_MS) : undefined;
  return { Name: v.Name, Loses: 'files', ...(size ? { Entries: size.entries, Bytes: size.bytes } : {}) };
}

/**
 * From the list's views, not inspect's: a plugin is not asked about its volume for this (whose
 * data it holds says enough), so a question in the window costs the plugin nothing.
 */
export async function volumeContents(engine: VolumeEngine, names: string[]): Promise<VolumeContents[]> {
  names.forEach((n) => assertVolumeName(n));
  const views = new Map((await engine.listOf(names)).map((v) => [v.Name, v]));
  const asked = names.map((n) => {
    const v = views.get(n);
    if (!v) throw volumeNotFound(n);
    return v;
  });
  const mounted = asked.filter((v) => (v.Mounted || v.MountCount > 0) && v.Mountpoint);
  const holders = processesUsingEach(mounted.map((v) => v.Mountpoint));
  return Promise.all(
    asked.map(async (v) => {
      const goes = await whatGoes(v, engine.dataOf(v.Name));
      return mounted.includes(v) ? { ...goes, Holders: holders.get(v.Mountpoint)!, MountCount: Math.max(v.MountCount, 1), ...(v.UsedBy ? { UsedBy: v.UsedBy } : {}) } : goes;
    }),
  );
}
