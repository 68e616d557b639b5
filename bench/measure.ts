// Timing helpers: alternate the contenders round by round so that machine noise falls on
// all of them alike, and compare medians.

import { spawnSync } from 'node:child_process';
import type { VolumeEngine } from '../app/volume/engine.js';

export type Contender = { name: string; run: () => unknown | Promise<unknown> };

export async function interleaved(contenders: Contender[], rounds: number): Promise<Map<string, number>> {
  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (const c of contenders) await c.run();
  for (let i = 0; i < rounds; i++) {
    for (const c of contenders) {
      const t0 = process.hrtime.bigint();
      await c.run();
      samples.get(c.name)!.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }
  return new Map([...samples].map(([k, v]) => [k, median(v)]));
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs a program and throws with its output when it fails: a benchmark of a failure is void. */
export function must(file: string, args: string[]): string {
  const r = spawnSync(file, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
  return r.stdout;
}

export const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

export function verdict(label: string, ok: boolean, detail: string): string {
  return `${ok ? 'PASS' : 'MISS'}  ${label}: ${detail}`;
}

/** One mount and one unmount of `name` through the engine; throws with both answers where either failed. */
export const engineCycle = (engine: Pick<VolumeEngine, 'mount' | 'unmount'>, name: string) => async () => {
  const [m] = await engine.mount([name]);
  const [u] = await engine.unmount([name]);
  if (!m!.ok || !u!.ok) throw new Error(JSON.stringify([m, u]));
};
