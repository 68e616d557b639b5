// End to end with the keyboard only: create a tmpfs volume, mount it, unmount it, cancel its
// removal with Escape (focus goes back where it was), then remove it. No mouse event is sent.
// And the focus never falls to the page when what had it goes away: Dismiss, Dismiss all,
// Force unmount from an error, and Details opened by a right click and closed.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { describeIf, isRoot } from '../helpers/env.js';
import { mountsUnder, tempDir } from '../helpers/fixtures.js';
import { canRunBrowser, hasFocus, openApp, row, rowButton, waitStatus, waitText, type OpenApp } from './app.js';

/** Presses Tab until `target` has the focus; fails after `max` presses. */
async function tabTo(page: Page, target: Locator, max = 40) {
  for (let i = 0; i < max; i++) {
    if (await hasFocus(target)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${target}`);
}

describeIf(isRoot && canRunBrowser(), 'root (tmpfs mounts) and Debian chromium (/usr/bin/chromium) or an Electron binary (test/setup/provision.sh)')('the window by keyboard only', () => {
  let t: ReturnType<typeof tempDir>;
  let app: OpenApp;
  const mountedHere = () => mountsUnder(t.dir).map((m) => m.fstype);

  beforeAll(async () => {
    t = tempDir('vm-e2e-keys-');
    mkdirSync(join(t.dir, 'state'));
    app = await openApp({ stateDir: join(t.dir, 'state') });
  });
  afterAll(async () => {
    await app?.close();
    t.cleanup();
  });

  it('creates, mounts, unmounts and removes a tmpfs volume, and Escape cancels the removal', async () => {
    const { page } = app;
    await page.getByText('No volumes yet').waitFor();
    // Nothing to select and nothing unused: the controls that would act on none say so.
    expect(await page.getByRole('checkbox', { name: 'Select all shown' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Prune unused' }).isDisabled()).toBe(true);
    await tabTo(page, page.getByRole('button', { name: 'Create volume' }));
    await page.keyboard.press('Enter');
    const create = page.getByRole('dialog', { name: 'Create volume' });
    expect(await hasFocus(create.getByLabel('Name', { exact: true }))).toBe(true);
    await page.keyboard.type('kbd');
    await tabTo(page, create.getByLabel('Size', { exact: true }), 5);
    await page.keyboard.type('8m');
    await page.keyboard.press('Enter');
    await create.waitFor({ state: 'detached' });
    await row(page, 'kbd').waitFor();

    const primary = row(page, 'kbd').locator('.primary-action');
    await tabTo(page, primary);
    expect(await primary.innerText()).toBe('Mount');
    await page.keyboard.press('Enter');
    await waitStatus(page, 'kbd', 'mounted');
    expect(mountedHere()).toEqual(['tmpfs']);
    // The same button, now Unmount, keeps the focus.
    await waitText(primary, 'Unmount');
    expect(await hasFocus(primary)).toBe(true);
    await page.keyboard.press('Enter');
    await waitStatus(page, 'kbd', 'not mounted');
    expect(mountedHere()).toEqual([]);

    const more = row(page, 'kbd').getByRole('button', { name: 'More actions for kbd' });
    await tabTo(page, more, 3);
    const askToRemove = async () => {
      await page.keyboard.press('Enter');
      await page.getByRole('menu', { name: 'Actions for kbd' }).waitFor();
      await page.keyboard.press('End');
      await page.keyboard.press('Enter');
      const ask = page.getByRole('alertdialog', { name: 'Remove kbd?' });
      await ask.waitFor();
      return ask;
    };
    let ask = await askToRemove();
    await page.keyboard.press('Escape');
    await ask.waitFor({ state: 'detached' });
    // React Aria gives the focus back within a frame of the close.
    await expect.poll(() => hasFocus(more)).toBe(true);
    await row(page, 'kbd').waitFor();

    ask = await askToRemove();
    await waitText(ask, 'kbd: it holds no files');
    expect(await hasFocus(ask.getByRole('button', { name: 'Keep kbd' }))).toBe(true);
    await page.keyboard.press('Tab');
    expect(await hasFocus(ask.getByRole('button', { name: 'Remove kbd' }))).toBe(true);
    await page.keyboard.press('Enter');
    await row(page, 'kbd').waitFor({ state: 'detached' });
    await waitText(page.getByRole('status', { name: 'Messages' }), 'Removed: kbd.');
    // Its row gone, the focus stays in reach: with no row left, on Create volume.
    await expect.poll(() => hasFocus(page.getByRole('button', { name: 'Create volume' }))).toBe(true);
  });

  it('keeps the focus in reach after Dismiss, Dismiss all, Force unmount from an error, and Details closed after a right click', async () => {
    const { page } = app;
    const state = join(t.dir, 'state');
    const holders: ChildProcess[] = [];
    const inFocus = () => page.evaluate(() => {
      const el = document.activeElement;
      return !el || el === document.body ? 'the page' : `${el.closest('[role=row],[role=alert]')?.getAttribute('aria-label') ?? el.closest('[role=alert]')?.textContent?.slice(0, 40) ?? ''} ${el.getAttribute('aria-label') ?? (el as HTMLElement).innerText}`;
    });
    try {
      for (const name of ['held-a', 'held-b']) {
        expect(cli(state, ['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'size=4m', name])).toMatchObject({ code: 0 });
        const mp = cli(state, ['volume', 'mount', name]).stdout.trim();
        const p = spawn('sleep', ['600'], { cwd: mp, stdio: 'ignore' });
        holders.push(p);
        await new Promise((r) => p.once('spawn', r));
      }
      const twoErrors = async () => {
        await row(page, 'held-b').waitFor();
        for (const name of ['held-a', 'held-b']) await rowButton(page, name, 'Unmount').click();
        await waitText(page.locator('.errors'), '2 problems');
      };
      const panel = (name: string) => page.getByRole('alert').filter({ hasText: `— ${name}` });

      // Dismiss: the next problem's first button takes the focus.
      await twoErrors();
      await panel('held-a').getByRole('button', { name: /^Dismiss/ }).focus();
      await page.keyboard.press('Enter');
      await panel('held-a').waitFor({ state: 'detached' });
      await expect.poll(() => hasFocus(panel('held-b').getByRole('button', { name: 'Force unmount' })), { message: 'after Dismiss' }).toBe(true);

      // Force unmount from the error: its volume's row, now offering Mount.
      // Nobody works inside it any more: a forced unmount asks nothing and goes at once.
      await Promise.all(holders.splice(0).map((p) => new Promise((r) => (p.once('exit', r), p.kill()))));
      await page.keyboard.press('Enter');
      await waitStatus(page, 'held-b', 'not mounted');
      await expect.poll(() => hasFocus(rowButton(page, 'held-b', 'Mount')), { message: 'after Force unmount' }).toBe(true);

      // Dismiss all: the list.
      for (const name of ['held-a', 'held-b']) {
        if (name === 'held-b') cli(state, ['volume', 'mount', name]);
        const p = spawn('sleep', ['600'], { cwd: join(state, 'volumes', name, '_data'), stdio: 'ignore' });
        holders.push(p);
        await new Promise((r) => p.once('spawn', r));
      }
      await waitStatus(page, 'held-b', 'mounted');
      await twoErrors();
      await page.getByRole('button', { name: 'Dismiss all' }).focus();
      await page.keyboard.press('Enter');
      await page.locator('.errors').waitFor({ state: 'detached' });
      await expect.poll(inFocus, { message: 'after Dismiss all' }).not.toBe('the page');
      expect(await page.evaluate(() => document.activeElement?.closest('[role=table],[role=toolbar]') !== null)).toBe(true);

      // Details from a right click, closed with Escape: back on that row's ⋯ button.
      await row(page, 'held-a').click({ button: 'right', position: { x: 120, y: 10 } });
      await page.getByRole('menu', { name: 'Actions for held-a' }).getByRole('menuitem', { name: 'Details' }).click();
      const details = page.getByRole('dialog', { name: 'Details of held-a' });
      await details.waitFor();
      await page.keyboard.press('Escape');
      await details.waitFor({ state: 'detached' });
      await expect.poll(() => hasFocus(row(page, 'held-a').getByRole('button', { name: 'More actions for held-a' })), { message: 'after Details' }).toBe(true);
    } finally {
      for (const p of holders) p.kill();
      for (const name of ['held-a', 'held-b']) cli(state, ['volume', 'unmount', '--force', name]);
    }
  });
});
