// The window at 10,000 volumes, through the browser host in Debian's Chromium: time from
// starting the host to the first list painted, the list call's round trip through the host
// (made by the page, as the window makes it), and the host process's memory (VmRSS).
// Absolute targets, measured in this run.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS, hostUrl } from '../test/helpers/browser-host.js';
import { fmt, median, verdict } from './measure.js';

const HOST = resolve(import.meta.dirname, 'host.mjs');

export async function hostAtTenThousand(stateDir: string, rounds: number, say: (l: string) => void): Promise<void> {
  if (!existsSync(CHROMIUM)) return say('\n# browser host: skipped, Debian chromium is not installed (apt-get install chromium)');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  // One browser profile, a new tab per start, as in a person's browser. Each host listens on a
  // new port, so nothing (HTTP cache, V8's code cache) carries over from one start to the next.
  const profile = await browser.newContext();
  const paints: number[] = [];
  const trips: number[] = [];
  const serverSide: number[] = [];
  let rssMb = 0;
  try {
    for (let i = 0; i < Math.min(rounds, 5); i++) {
      // The tab opens while the host starts, as a launcher that starts both would do: opening
      // it costs the browser 100-600 ms here, which is not the app's start.
      const t0 = performance.now();
      const child = spawn(process.execPath, [HOST, '--port', '0', '--state-dir', stateDir], { stdio: ['ignore', 'pipe', 'inherit'] });
      const opening = profile.newPage();
      const url = await hostUrl(child);
      const page = await opening;
      await page.goto(url);
      await page.getByText('10000 of 10000 volumes').waitFor({ timeout: 30_000 });
      await page.getByRole('row', { name: 'vol-00000', exact: true }).waitFor();
      paints.push(performance.now() - t0);
      // The list call as the window makes it: fetch and JSON in the page, timed in the page.
      const token = new URLSearchParams(new URL(url).hash.slice(1)).get('token')!;
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
  say(verdict('host start to first list painted, under 1.5 s', median(paints) < 1500, fmt(median(paints))));
  say(verdict('list call round trip through the host, under 50 ms', median(trips) < 50, `${fmt(median(trips))} (in the host: ${fmt(median(serverSide))}; the rest is Chromium delivering the body to the page, and JSON.parse)`));
  say(verdict('host process memory (VmRSS, highest seen), under 200 MB', rssMb < 200, `${rssMb.toFixed(0)} MB`));
}
