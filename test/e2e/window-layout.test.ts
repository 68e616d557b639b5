// End to end: the window at the sizes people use, 800x600 to 3840x2160, light and dark,
// with two errors open and a volume whose name is as long as a name may be. No control is cut
// off or outside the window, no status or column header is cut, the keyboard never lands on
// something hidden, and axe-core finds no serious or critical violation on the list, each
// create form, the details, a confirmation and the open errors. The errors are real: two
// tmpfs volumes held by a process, unmounted together.

import { AxeBuilder } from '@axe-core/playwright';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { describeIf, isRoot } from '../helpers/env.js';
import { tempDir } from '../helpers/fixtures.js';
import { canRunBrowser, openApp, openDetails, row, rowMenu, SCREENSHOTS, waitText, type OpenApp } from './app.js';
import { clippedControls, focusOnHidden } from './layout-checks.js';
import { onPath } from '../../main/shared/command-line.js';

const SIZES = [
  [800, 600],
  [1024, 700],
  [1360, 860],
  [1920, 1080],
  [3840, 2160],
] as const;
const DIST_CLI = resolve(import.meta.dirname, '../../dist/cli.cjs');
const LONG = `long-${'n'.repeat(123)}`;
const CREATE_TYPES = ['tmpfs (memory)', 'NFS share', 'Bind a folder', 'Device or image file', 'SSH folder (no root needed)', 'Volume plugin', 'Plain directory'];

/** Every violation axe-core finds, whatever its impact, minor and moderate included. */
async function violations(page: Page, what: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.map((v) => `${what}: ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describeIf(isRoot && canRunBrowser(), 'root (tmpfs mounts) and Debian chromium (/usr/bin/chromium) or an Electron binary (test/setup/provision.sh)')('the window at every size', () => {
  let t: ReturnType<typeof tempDir>;
  let app: OpenApp;
  const holders: ChildProcess[] = [];
  const state = () => join(t.dir, 'state');

  beforeAll(async () => {
    t = tempDir('vm-e2e-layout-');
    mkdirSync(state());
    const ok = (args: string[]) => expect(cli(state(), args)).toMatchObject({ code: 0 });
    for (const name of ['scratch', 'held-a', 'held-b']) ok(['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'size=8m', name]);
    ok(['volume', 'create', 'notes']);
    ok(['volume', 'create', LONG]);
    for (const name of ['scratch', 'scratch', 'held-a', 'held-b']) ok(['volume', 'mount', name]);
    for (const name of ['held-a', 'held-b']) {
      const p = spawn('sleep', ['600'], { cwd: join(state(), 'volumes', name, '_data'), stdio: 'ignore' });
      holders.push(p);
      await new Promise((r) => p.once('spawn', r));
    }
    app = await openApp({ stateDir: state() });
  });
  afterAll(async () => {
    for (const p of holders) p.kill();
    await app?.close();
    for (const name of ['scratch', 'held-a', 'held-b']) cli(state(), ['volume', 'unmount', '--force', name]);
    t.cleanup();
  });

  it('opens the errors of a busy unmount, stacked, each with Force unmount before the command line', async () => {
    const { page } = app;
    await row(page, 'held-b').waitFor();
    for (const name of ['held-a', 'held-b']) await row(page, name).getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Unmount selected' }).click();
    const panels = page.getByRole('alert');
    await waitText(page.locator('.errors'), '2 problems');
    for (const name of ['held-a', 'held-b']) {
      const panel = panels.filter({ hasText: `— ${name}` });
      await waitText(panel, `sleep (pid`);
      // The window's own action is the first button, before Try again and Dismiss.
      expect(await panel.locator('.error-head').getByRole('button').allInnerTexts()).toEqual(['Force unmount', 'Try again', 'Dismiss']);
    }
    // The commands are the ones that run here, on this store: pasted into a shell, the plain
    // unmount reaches held-a and finds it busy, as the window did.
    const commands = await panels.filter({ hasText: '— held-a' }).locator('code').allInnerTexts();
    const unmount = commands.find((c) => / volume unmount held-a$/.test(c));
    expect(unmount, commands.join('\n')).toBeDefined();
    if (!onPath('volume-manager')) expect(unmount!.startsWith(`${process.execPath} ${DIST_CLI} --state-dir ${state()} `)).toBe(true);
    const pasted = spawnSync('sh', ['-c', unmount!], { encoding: 'utf8', cwd: '/' });
    expect(pasted.status).not.toBe(0);
    expect(pasted.stderr).toMatch(/busy/i);
  });

  for (const [width, height] of SIZES) {
    for (const scheme of ['light', 'dark'] as const) {
      it(`fits ${width}x${height} in ${scheme}: the list with two errors open, the details of a long name, the create form, a confirmation`, async () => {
        const { page } = app;
        await page.setViewportSize({ width, height });
        await page.emulateMedia({ colorScheme: scheme });
        await waitText(page.locator('.errors'), '2 problems');
        expect(await clippedControls(page)).toEqual([]);
        if ((width === 1360 || width === 1024) && scheme === 'light') {
          // As a person first sees it: the errors from their top, no focus ring left by a Tab walk.
          await page.locator('h1').click();
          await page.locator('.messages').evaluate((el) => el.scrollTo(0, 0));
          await page.screenshot({ path: join(SCREENSHOTS, `volumes-${width}x${height}.png`) });
        }

        const details = await openDetails(page, LONG);
        await waitText(details, 'Mount options');
        expect(await clippedControls(page)).toEqual([]);
        await page.keyboard.press('Escape');
        await details.waitFor({ state: 'detached' });

        await page.getByRole('button', { name: 'Create volume' }).click();
        const create = page.getByRole('dialog', { name: 'Create volume' });
        await create.getByLabel('Name', { exact: true }).fill('x'.repeat(300));
        await create.getByLabel('Size', { exact: true }).click();
        await waitText(create, 'A name has at most 128 characters');
        expect(await clippedControls(page)).toEqual([]);
        await page.keyboard.press('Escape');
        await create.getByRole('button', { name: 'Discard' }).click();
        await create.waitFor({ state: 'detached' });

        await rowMenu(page, 'notes', 'Remove…');
        const ask = page.getByRole('alertdialog', { name: 'Remove notes?' });
        await waitText(ask, 'notes: it is empty');
        expect(await clippedControls(page)).toEqual([]);
        await page.keyboard.press('Escape');
        await ask.waitFor({ state: 'detached' });
      });
    }

    it(`at ${width}x${height}, Tab never lands on a control that is hidden or outside the window`, async () => {
      const { page } = app;
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme: 'light' });
      await page.locator('h1').click();
      expect(await focusOnHidden(page, 60)).toEqual([]);
    });
  }

  it('has no accessibility violation of any impact on the list, the errors, a notice, the history, the details, a confirmation, every create form and every other dialog', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 1360, height: 860 });
    const found: string[] = [];
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      found.push(...(await violations(page, `the list with two errors (${scheme})`)));
    }
    await page.emulateMedia({ colorScheme: 'light' });

    const details = await openDetails(page, 'scratch');
    await waitText(details, 'Mount count');
    found.push(...(await violations(page, 'the details')));
    await page.keyboard.press('Escape');
    await details.waitFor({ state: 'detached' });

    await rowMenu(page, 'notes', 'Remove…');
    const ask = page.getByRole('alertdialog', { name: 'Remove notes?' });
    await waitText(ask, 'notes: it is empty');
    found.push(...(await violations(page, 'a confirmation')));
    await page.keyboard.press('Escape');
    await ask.waitFor({ state: 'detached' });

    // A notice on screen (a removal said), then the history that keeps it.
    expect(cli(state(), ['volume', 'create', 'said'])).toMatchObject({ code: 0 });
    await rowMenu(page, 'said', 'Remove…');
    await page.getByRole('alertdialog', { name: 'Remove said?' }).getByRole('button', { name: 'Remove said', exact: true }).click();
    await waitText(page.getByRole('status', { name: 'Messages' }), 'Removed: said.');
    found.push(...(await violations(page, 'a notice')));
    await page.getByRole('button', { name: /^History/ }).click();
    await page.getByRole('dialog', { name: 'History' }).waitFor();
    found.push(...(await violations(page, 'the history')));
    await page.keyboard.press('Escape');

    for (const [button, dialog] of [
      ['Use in containers…', 'Use in containers'],
      ['Add a machine…', 'Add a machine'],
    ] as const) {
      if (button === 'Add a machine…') await page.getByLabel('Machine').selectOption({ label: button });
      else await page.getByRole('button', { name: button }).click();
      const d = page.getByRole('dialog', { name: dialog });
      await d.waitFor();
      found.push(...(await violations(page, `the ${dialog} dialog`)));
      await page.keyboard.press('Escape');
      await d.waitFor({ state: 'detached' });
    }

    await page.getByRole('button', { name: 'Create volume' }).click();
    const create = page.getByRole('dialog', { name: 'Create volume' });
    for (const type of CREATE_TYPES) {
      await create.getByLabel('Type', { exact: true }).selectOption({ label: type });
      // Pressed empty, so each form shows its problems too.
      await create.getByRole('button', { name: 'Create', exact: true }).click();
      found.push(...(await violations(page, `the ${type} form`)));
    }
    await page.keyboard.press('Escape');
    await create.waitFor({ state: 'detached' });
    expect(found).toEqual([]);
  });

  it('says what Unmount does above a count of 1, and who holds a busy mount', async () => {
    const { page } = app;
    const unmount = row(page, 'scratch').getByRole('button', { name: 'Unmount', exact: true });
    // React Aria shows tooltips on hover while the pointer is what the person last used.
    await page.locator('h1').click();
    await unmount.hover();
    await waitText(page.getByRole('tooltip'), 'Unmount lowers the count to 1 and scratch stays mounted until the last Unmount');
    const details = await openDetails(page, 'held-a');
    await waitText(details, `sleep (pid ${holders[0]!.pid}: cwd)`);
    await page.keyboard.press('Escape');
    await details.waitFor({ state: 'detached' });
  });

  it('keeps the create dialog still as its type changes, Create in view at 800x600, and asks before Escape throws away what was typed', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 800, height: 600 });
    await page.getByRole('button', { name: 'Create volume' }).click();
    const create = page.getByRole('dialog', { name: 'Create volume' });
    const top = async () => (await create.boundingBox())!.y;
    const before = await top();
    for (const type of CREATE_TYPES) {
      await create.getByLabel('Type', { exact: true }).selectOption({ label: type });
      expect(Math.abs((await top()) - before), `the dialog moved when the type became ${type}`).toBeLessThanOrEqual(1);
      const button = (await create.getByRole('button', { name: 'Create', exact: true }).boundingBox())!;
      expect(button.y + button.height, `Create is below the window for ${type}`).toBeLessThanOrEqual(600);
    }
    await create.getByLabel('Name', { exact: true }).fill('draft');
    await page.keyboard.press('Escape');
    const ask = create.getByRole('alert').filter({ hasText: 'Discard' });
    await waitText(ask, 'Discard the new volume draft?');
    await expect.poll(() => ask.getByRole('button', { name: 'Keep editing' }).evaluate((b) => b === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await ask.waitFor({ state: 'detached' });
    expect(await create.getByLabel('Name', { exact: true }).inputValue()).toBe('draft');
    await page.keyboard.press('Escape');
    await ask.getByRole('button', { name: 'Discard' }).click();
    await create.waitFor({ state: 'detached' });
    await page.setViewportSize({ width: 1360, height: 860 });
  });

  it('gives checkboxes and row buttons targets of 24x24 at least, and keeps the end of a long mountpoint in view', async () => {
    const { page } = app;
    await page.setViewportSize({ width: 1360, height: 860 });
    const small = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('input[type=checkbox], .c-actions button, .menu-button'))
        .filter((el) => el.checkVisibility())
        .map((el) => ({ name: el.getAttribute('aria-label') ?? el.innerText, r: el.getBoundingClientRect() }))
        .filter(({ r }) => r.width < 24 || r.height < 24)
        .map(({ name, r }) => `${name} ${Math.round(r.width)}x${Math.round(r.height)}`),
    );
    expect(small).toEqual([]);
    // Cut in the middle: what tells two mountpoints apart is at their end.
    const tail = row(page, LONG).locator('.c-mountpoint .tail');
    expect(await tail.innerText()).toMatch(/\/_data$/);
    const cell = (await row(page, LONG).locator('.c-mountpoint').boundingBox())!;
    const end = (await tail.boundingBox())!;
    expect(end.x + end.width).toBeLessThanOrEqual(cell.x + cell.width + 1);
  });

  it("needed nothing the page's CSP refuses, through every dialog, menu and tooltip above", () => {
    expect(app.cspRefusals).toEqual([]);
  });

  it('force-unmounts from the error itself, after a question that names the process working in it', async () => {
    const { page } = app;
    const panel = page.getByRole('alert').filter({ hasText: '— held-a' });
    await panel.getByRole('button', { name: 'Force unmount' }).click();
    const ask = page.getByRole('alertdialog', { name: 'Force unmount held-a?' });
    await waitText(ask, `sleep (pid ${holders[0]!.pid}`);
    // The safe answer first; Escape keeps it mounted.
    await page.keyboard.press('Escape');
    await ask.waitFor({ state: 'detached' });
    expect(JSON.parse(cli(state(), ['volume', 'inspect', 'held-a']).stdout)[0].Mounted).toBe(true);
    await panel.getByRole('button', { name: 'Force unmount' }).click();
    await ask.getByRole('button', { name: 'Force unmount held-a' }).click();
    await waitText(row(page, 'held-a'), /not mounted/);
    await panel.waitFor({ state: 'detached' });
  });
});
