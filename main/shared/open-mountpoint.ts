// "Open in the file manager": the path comes from the engine, never from the page, which
// sends only a volume name (checked like every other name).

import { spawn } from 'node:child_process';
import type { Envelope } from '../../app/api/contract.js';
import { GuidedError, toGuided } from '../../app/errors/guided-error.js';
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
    if (typeof name !== 'string') throw toGuided(new Error('a volume name is required'), 'INVALID_REQUEST');
    const [view] = await engine.inspect([name]);
    if (!view!.Mountpoint) {
      throw new GuidedError({
        code: 'VOLUME_NOT_FOUND',
        title: `${name} has no mountpoint yet`,
        happened: `plugin volume ${name} is not mounted, so its plugin has not given it a path`,
        why: 'A plugin hands out the path of a volume when it is mounted.',
        steps: [{ text: 'Mount it first, then open it.', command: `volume-manager volume mount ${name}` }],
      });
    }
    await open(view!.Mountpoint);
    return { ok: true, value: null };
  } catch (err) {
    return { ok: false, error: toGuided(err).toJSON() };
  }
}
