// The window at 10,000 volumes, through the browser host in Debian's Chromium: time from
// starting the host to the first list painted, the refresh's round trip through the host
// (made by the page, as the window makes it: volume.changes since its last Mark, after a
// change made by another process and with nothing changed), the full list's beside it, and the
// host process's memory (VmRSS). Absolute targets, measured in this run.

import { spawn } from 'node:child_process';
import { VolumeEngine } from '../app/volume/engine.js';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS, hostUrl } from '../test/helpers/browser-host.js';
import { fmt, median, verdict } from './measure.js';

const HOST = resolve(import.meta.dirname, 'host.mjs');
/** The secret the benchmark's own calls send, as a script driving the host would. */
const BENCH_TOKEN = 'bench-token-0123456789abcdefghijklmnopqrstuv';

export async function hostAtTenThousand(stateDir: string, rounds: number, say: (l: string) => void): Promise<void> {
  if (!existsSync(CHROMIUM)) return say('\n# browser host: skipped, Debian chromium is not installed (apt-get install chromium)');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  // One browser profile, a new tab per start, as in a person's browser. Each host listens on a
  // new port, so nothing (HTTP cache, V8's code cache) carries over from one start to the next.
  const profile = await browser.newContext();
  const paints: number[] = [];
  const trips: number[] = [];
  const serverSide: number[] = [];
  const deltas: number[] = [];
  const idle: number[] = [];
  const atLogin = new Set<string>();
  const cli = new VolumeEngine({ stateDir, plugins: { socketDirs: [], specDirs: [], containersConfs: [] } });
  let rssMb = 0;
  try {
    for (let i = 0; i < Math.min(rounds, 5); i++) {
      // The tab opens while the host starts, as a launcher that starts both would do: opening
      // it costs the browser 100-600 ms here, which is not the app's start.
      const t0 = performance.now();
      const child = spawn(process.execPath, [HOST, '--port', '0', '--state-dir', stateDir], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, VOLUME_MANAGER_HOST_TOKEN: BENCH_TOKEN } });
      const opening = profile.newPage();
      const url = await hostUrl(child);
      const page = await opening;
      await page.goto(url);
      await page.getByText('10000 of 10000 volumes').waitFor({ timeout: 30_000 });
      await page.getByRole('row', { name: 'vol-00000', exact: true }).waitFor();
      paints.push(performance.now() - t0);
      // The list call as the window makes it: fetch and JSON in the page, timed in the page.
      const token = BENCH_TOKEN;
      for (let j = 0; j < 10; j++) {
        const t = await page.evaluate(async (key) => {
          const t1 = performance.now();
          const res = await fetch('/api/volume.list', { method: 'POST', headers: { 'X-Volume-Manager-Token': key, 'Content-Type': 'application/json' }, body: '{}' });
          const body = (await res.json()) as { ok: boolean; value: unknown[] };
          return { ms: performance.now() - t1, count: body.ok ? body.value.length : -1, timing: res.headers.get('server-timing') ?? '' };
        }, token);
        if (t.count !== 10_000) throw new Error(`list through the host answered ${t.count} volumes`);
        trips.push(t.ms);
        serverSide.push(Number(/dur=([\d.]+)/.exec(t.timing)?.[1] ?? NaN));
      }
      // A refresh as the window makes it after a change event: another process (standing for
      // the command line) changed one volume; the page asks what changed since its Mark.
      const call = (op: string, body: unknown) =>
        page.evaluate(
          async ({ key, op, body }) => {
            const t1 = performance.now();
            const res = await fetch(`/api/${op}`, { method: 'POST', headers: { 'X-Volume-Manager-Token': key, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
            const env = (await res.json()) as { ok: boolean; value: { Mark: string; Volumes: unknown[] } };
            return { ms: performance.now() - t1, value: env.value };
          },
          { key: token, op, body },
        );
      let mark = (await call('volume.changes', {})).value.Mark;
      for (let j = 0; j < 10; j++) {
        const name = `vol-${String(j * 7).padStart(5, '0')}`;
        // Flipped each time (from every volume's 'manual'), so each set is a change.
        const login = !atLogin.has(name);
        if (login) atLogin.add(name);
        else atLogin.delete(name);
        await cli.set(name, { mountAt: login ? 'login' : 'manual' });
        const after = await call('volume.changes', { since: mark });
        if (after.value.Volumes.length !== 1) throw new Error(`changes after one set answered ${after.value.Volumes.length} volumes`);
        deltas.push(after.ms);
        mark = after.value.Mark;
        const still = await call('volume.changes', { since: mark });
        if (still.value.Volumes.length !== 0) throw new Error('changes with nothing changed answered volumes');
        idle.push(still.ms);
      }
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      rssMb = Math.max(rssMb, Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024);
      await page.close();
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  } finally {
    await browser.close();
  }
  say(`\n# the window with 10,000 volumes, browser host in Chromium (${paints.length} starts, ${trips.length} list calls)`);
  say(verdict('host start to first list painted, under 600 ms', median(paints) < 600, fmt(median(paints))));
  say(verdict('refresh round trip after one volume changed (volume.changes), under 20 ms', median(deltas) < 20, fmt(median(deltas))));
  say(verdict('refresh round trip with nothing changed (volume.changes), under 50 ms', median(idle) < 50, fmt(median(idle))));
  say(`  full list round trip (volume.list, what a refresh cost before; store unchanged, so not parsed again)  ${fmt(median(trips))} (in the host: ${fmt(median(serverSide))}; the rest is Chromium delivering the body to the page, and JSON.parse) = ${(median(trips) / median(deltas)).toFixed(1)}x the refresh after a change`);
  say(verdict('host process memory (VmRSS, highest seen), under 200 MB', rssMb < 200, `${rssMb.toFixed(0)} MB`));
}
