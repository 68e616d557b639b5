// "Open in the file manager": the path comes from the engine, never from the page, which
// sends only a volume name (checked like every other name).

import { spawn } from 'node:child_process';
import type { Envelope } from '../../app/api/contract.js';
import { invalidRequest, openFailed, volumeNotMounted } from '../../app/errors/catalogue.js';
import { toGuided } from '../../app/errors/guided-error.js';
import type { VolumeEngine } from '../../app/volume/engine.js';

export type Opener = (path: string) => Promise<void>;

/** How long a handler has to say it failed; one that runs on (a file manager) has opened it. */
const VERDICT_MS = 3000;

/**
 * `program PATH` as an argv array. xdg-open exits non-zero at once when it finds no way to
 * open a folder, and says why on stderr: that is an error to show, not a silent nothing.
 */
export const commandOpener =
  (program: string): Opener =>
  (path) =>
    new Promise((resolve, reject) => {
      const child = spawn(program, [path], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
      let said = '';
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (said += d));
      const timer = setTimeout(() => {
        child.stderr!.destroy();
        child.unref();
        resolve();
      }, VERDICT_MS);
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(openFailed(path, `${program}: ${err.message}`));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        if (code === 0) resolve();
        else reject(openFailed(path, said.trim().split('\n').at(-1) || `${program} exited with ${code}`));
      });
    });

/** Where there is no Electron: the desktop's own handler. */
export const xdgOpen = commandOpener('xdg-open');

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
