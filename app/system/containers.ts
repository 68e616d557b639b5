// Which containers use a volume, as podman and Docker tell it (`ps --filter volume=NAME`), for
// inspect to name the holders of a volume's mounts. Either may be missing or not running: what
// does not answer in time names nobody, and never fails the inspect.

import type { ContainerRef } from '../api/types.js';
import { execArgv } from './exec-argv.js';

const ASK_MS = 3000;

async function ask(engine: ContainerRef['Engine'], volume: string): Promise<ContainerRef[]> {
  try {
    const r = await execArgv(engine, ['ps', '--all', '--no-trunc', '--filter', `volume=${volume}`, '--format', '{{.ID}}\t{{.Names}}'], { timeoutMs: ASK_MS });
    if (r.code !== 0) return [];
    return r.stdout
      .split('\n')
      .map((l) => l.split('\t'))
      .filter((f) => f.length === 2 && /^[0-9a-f]{12,64}$/.test(f[0]!))
      .map(([ID, Name]) => ({ Engine: engine, ID: ID!, Name: Name!.slice(0, 256) }));
  } catch {
    return [];
  }
}

/** The containers podman and Docker (each where it answers) say use `volume`; the name is a checked volume name. */
export async function containersUsing(volume: string): Promise<ContainerRef[]> {
  return (await Promise.all([ask('podman', volume), ask('docker', volume)])).flat();
}
