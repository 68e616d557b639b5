// End to end: what the window says about an action leaves room for the list. An error stays
// until it is dealt with; "Removed: …" and the other messages that need nothing from the person
// leave by themselves after a few seconds and stay in a history they can open. With an error
// open and five removals said one after another, at 800x600 and 1360x860, the list keeps at
// least half the window and the page itself never scrolls.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { describeIf, isRoot } from '../helpers/env.js';
import { tempDir } from '../helpers/fixtures.js';
import { canRunBrowser, openApp, removeThroughWindow, row, rowButton, SCREENSHOTS, waitText, type OpenApp } from './app.js';
import type { Page } from 'playwright-core';

/** The list's share of the window's height, and how far the page itself scrolls. */
const room = (page: Page) =>
  page.evaluate(() => ({
    list: document.querySelector('main')!.getBoundingClientRect().height / document.documentElement.clientHeight,
    pageScrolls: document.documentElement.scrollHeight - document.documentElement.clientHeight,
  }));

describeIf(isRoot && canRunBrowser(), 'root (a held tmpfs mount for a real error) and Debian chromium (/usr/bin/chromium) or an Electron binary (test/setup/provision.sh)')('the window, its messages', () => {
  let t: ReturnType<typeof tempDir>;
  let app: OpenApp;
  let holder: ChildProcess | undefined;
  const state = () => join(t.dir, 'state');
  const ok = (args: string[]) => expect(cli(state(), args)).toMatchObject({ code: 0 });

  beforeAll(async () => {
    t = tempDir('vm-e2e-messages-');
    mkdirSync(state());
    ok(['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'size=4m', 'held']);
    ok(['volume', 'mount', 'held']);
    holder = spawn('sleep', ['600'], { cwd: join(state(), 'volumes', 'held', '_data'), stdio: 'ignore' });
    await new Promise((r) => holder!.once('spawn', r));
    app = await openApp({ stateDir: state() });
  });
  afterAll(async () => {
    holder?.kill();
    await app?.close();
    cli(state(), ['volume', 'unmount', '--force', 'held']);
    t.cleanup();
  });

  for (const [width, height] of [
    [800, 600],
    [1360, 860],
  ] as const) {
    it(`at ${width}x${height}, an error and five removals leave the list half the window, and the removals leave by themselves into the history`, async () => {
      const { page } = app;
      await page.setViewportSize({ width, height });
      const names = [1, 2, 3, 4, 5].map((n) => `gone-${width}-${n}`);
      for (const name of names) ok(['volume', 'create', name]);
      await row(page, names[4]!).waitFor();
      // A real error that stays: the busy unmount of a volume a process works in.
      await rowButton(page, 'held', 'Unmount').click();
      await waitText(page.getByRole('alert').filter({ hasText: '— held' }), 'sleep (pid');

      const said = page.getByRole('status', { name: 'Messages' });
      for (const name of names) {
        await removeThroughWindow(page, name);
        await waitText(said, `Removed: ${name}.`);
        const r = await room(page);
        expect(r.pageScrolls, `the page scrolls ${r.pageScrolls} px after removing ${name}`).toBeLessThanOrEqual(1);
        expect(r.list, `the list has ${Math.round(r.list * 100)}% of the window after removing ${name}`).toBeGreaterThanOrEqual(0.5);
      }

      if (width === 800) await page.screenshot({ path: join(SCREENSHOTS, 'messages-800x600.png') });
      // The removals leave by themselves; the error stays until it is dealt with.
      await expect.poll(() => said.getByText(/^Removed: /).count(), { timeout: 20_000 }).toBe(0);
      await waitText(page.getByRole('alert').filter({ hasText: '— held' }), 'sleep (pid');

      // And nothing said is lost: the history has every one of them, newest first.
      await page.getByRole('button', { name: /^History/ }).click();
      const history = page.getByRole('dialog', { name: 'History' });
      const entries = await history.getByRole('listitem').allInnerTexts();
      const removals = entries.filter((e) => e.includes('Removed: gone-' + width));
      expect(removals.map((e) => e.replace(/^.*Removed: /s, 'Removed: '))).toEqual(names.map((n) => `Removed: ${n}.`).reverse());
      expect(entries.some((e) => e.includes('held') && /busy|in use/i.test(e)), entries.join('\n')).toBe(true);
      await page.keyboard.press('Escape');
      await history.waitFor({ state: 'detached' });
      await page.getByRole('alert').filter({ hasText: '— held' }).getByRole('button', { name: /^Dismiss/ }).click();
    });
  }
});
