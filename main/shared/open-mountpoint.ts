// "Open in the file manager": the path comes from the engine, never from the page, which
// sends only a volume name (checked like every other name).

import { spawn } from 'node:child_process';
import type { Envelope } from '../../app/api/contract.js';
import { invalidRequest, volumeNotMounted } from '../../app/errors/catalogue.js';
import { toGuided } from '../../app/errors/guided-error.js';
import type { VolumeEngine } from '../../app/volume/engine.js';

export type Opener = (path: string) => Promise<void>;

/** Where there is no Electron: the desktop's own handler, as an argv array. */
export const xdgOpen: Opener = (path) =>
  new Promise((resolve, reject) => {
    const child = spawn('xdg-open', [path], { stdio: 'ignore', detached: true });
    child.once('error', reject);
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });

export async function openMountpoint(engine: VolumeEngine, name: unknown, open: Opener): Promise<Envelope<null>> {
  try {
    if (typeof name !== 'string') throw invalidRequest('host.open: a volume name is required');
    const [view] = await engine.inspect([name]);
    if (!view!.Mountpoint) throw volumeNotMounted(name);
    await open(view!.Mountpoint);
    return { ok: true, value: null };
  } catch (err) {
    return { ok: false, error: toGuided(err).toJSON() };
  }
}
