// End to end with the keyboard only: create a tmpfs volume, mount it, unmount it, cancel its
// removal with Escape (focus goes back where it was), then remove it. No mouse event is sent.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeIf, isRoot } from '../helpers/env.js';
import { mountsUnder, tempDir } from '../helpers/fixtures.js';
import { canRunBrowser, hasFocus, openApp, row, waitStatus, waitText, type OpenApp } from './app.js';

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
    await waitText(page.getByRole('status', { name: 'Removal report' }), 'Removed: kbd.');
    // Its row gone, the focus stays in reach: with no row left, on Create volume.
    await expect.poll(() => hasFocus(page.getByRole('button', { name: 'Create volume' }))).toBe(true);
  });
});
