// End to end: what the list says about itself. Select-all selects what is shown (and only
// that, under a filter), the count line says how many are selected, the sorted column shows
// its direction, Copy mountpoint says it copied, with the path on the clipboard, and the space
// used in a mounted volume follows what is written into it. Mount selected and Unmount
// selected touch only what needs it, and say what they did to each.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { describeIf, isRoot } from '../helpers/env.js';
import { tempDir } from '../helpers/fixtures.js';
import { canRunBrowser, createThroughForm, openApp, openDetails, row, rowMenu, waitText, type OpenApp } from './app.js';

describeIf(isRoot && canRunBrowser(), 'root and Debian chromium (/usr/bin/chromium) or an Electron binary (test/setup/provision.sh)')('the window, the list', () => {
  let t: ReturnType<typeof tempDir>;
  let app: OpenApp;
  const state = () => join(t.dir, 'state');

  beforeAll(async () => {
    t = tempDir('vm-e2e-list-');
    mkdirSync(state());
    for (const name of ['alpha', 'beta', 'gamma']) expect(cli(state(), ['volume', 'create', name])).toMatchObject({ code: 0 });
    app = await openApp({ stateDir: state() });
  });
  afterAll(async () => {
    await app?.close();
    t.cleanup();
  });

  it('is a table, which promises no arrow-key navigation it does not have', async () => {
    const { page } = app;
    await row(page, 'gamma').waitFor();
    // role=grid tells a screen reader that arrow keys move between cells; this list is read as
    // a table and walked with Tab through each row's own controls.
    expect(await page.locator('[role=grid], [role=gridcell]').count()).toBe(0);
    const table = page.getByRole('table', { name: 'Volumes' });
    expect(await table.getByRole('columnheader').count()).toBeGreaterThan(5);
    expect(await row(page, 'gamma').getByRole('cell').count()).toBeGreaterThan(5);
    expect(await row(page, 'gamma').getAttribute('aria-selected')).toBeNull();
  });

  it('selects all that is shown, and says how many are selected', async () => {
    const { page } = app;
    await row(page, 'gamma').waitFor();
    const all = page.getByRole('checkbox', { name: 'Select all shown' });
    await all.check();
    await waitText(page.locator('.count-line'), '3 of 3 volumes · 3 selected');
    await row(page, 'beta').getByRole('checkbox').uncheck();
    await waitText(page.locator('.count-line'), '3 of 3 volumes · 2 selected');
    expect(await all.evaluate((el) => (el as unknown as { indeterminate: boolean }).indeterminate)).toBe(true);
    await all.uncheck();
    await page.getByRole('searchbox', { name: 'Search' }).fill('ta');
    await all.check();
    await waitText(page.locator('.count-line'), '1 of 3 volumes · 1 selected');
    expect(await row(page, 'beta').getByRole('checkbox').isChecked()).toBe(true);
    await all.uncheck();
    await page.getByRole('searchbox', { name: 'Search' }).fill('');
  });

  it('shows the sort direction on the sorted column', async () => {
    const { page } = app;
    const name = page.locator('[role=columnheader].c-name');
    expect(await name.getAttribute('aria-sort')).toBe('ascending');
    await waitText(name, 'Name ▲');
    await name.getByRole('button').click();
    expect(await name.getAttribute('aria-sort')).toBe('descending');
    await waitText(name, 'Name ▼');
    expect(await page.getByRole('row').nth(1).getAttribute('aria-label')).toBe('gamma');
  });

  it("follows the space used in a mounted volume while the window is seen, with no click", async () => {
    const { page } = app;
    expect(cli(state(), ['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'size=16m', 'ram'])).toMatchObject({ code: 0 });
    expect(cli(state(), ['volume', 'mount', 'ram'])).toMatchObject({ code: 0 });
    await waitText(row(page, 'ram'), '0 B of 17 MB');
    writeFileSync(join(state(), 'volumes', 'ram', '_data', 'two-mb'), Buffer.alloc(2 << 20, 1));
    await waitText(row(page, 'ram'), '2.1 MB of 17 MB', 12_000);
    expect(cli(state(), ['volume', 'unmount', 'ram'])).toMatchObject({ code: 0 });
  });

  it('says when it copied a mountpoint, and the clipboard holds it', async () => {
    const { page } = app;
    await rowMenu(page, 'alpha', 'Copy mountpoint');
    await waitText(row(page, 'alpha'), 'Copied');
    expect(await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText())).toBe(join(state(), 'volumes', 'alpha', '_data'));
  });

  it('opens the row menu with a right click, and Escape closes it', async () => {
    const { page } = app;
    await row(page, 'beta').getByRole('cell').nth(1).click({ button: 'right' });
    const menu = page.getByRole('menu', { name: 'Actions for beta' });
    await menu.waitFor();
    expect(await menu.getByRole('menuitem').allInnerTexts()).toEqual(['Details', 'Open folder', 'Copy mountpoint', expect.stringMatching(/^Mount again/), 'Force unmount', 'Remove…']);
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
  });

  it('without the token, says so once and does not claim there are no volumes', async () => {
    // A browser without the cookie the one-time address bought: another context, no login.
    const context = await app.page.context().browser()!.newContext();
    const stranger = await context.newPage();
    try {
      await stranger.goto(app.page.url());
      await waitText(stranger.locator('.empty'), 'The volumes could not be listed');
      const alerts = stranger.getByRole('alert');
      await waitText(alerts, 'token');
      expect(await alerts.count()).toBe(1);
      expect(await stranger.getByText('No volumes yet').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('mounts only the selected volumes that are not mounted, and says what it did to each', async () => {
    const { page } = app;
    const count = (name: string) => JSON.parse(cli(state(), ['volume', 'inspect', name]).stdout)[0].MountCount;
    for (const name of ['t-up', 't-down']) expect(cli(state(), ['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'size=1m', name])).toMatchObject({ code: 0 });
    expect(cli(state(), ['volume', 'mount', 't-up'])).toMatchObject({ code: 0 });
    try {
      await page.getByRole('searchbox', { name: 'Search' }).fill('');
      await row(page, 't-down').waitFor();
      for (const name of ['t-up', 't-down', 'alpha']) await row(page, name).getByRole('checkbox').check();
      await page.getByRole('button', { name: 'Mount selected', exact: true }).click();
      const said = page.getByRole('status', { name: 'Messages' });
      await waitText(said, 'Mounted: t-down.');
      await waitText(said, 'Already mounted, left as they were: t-up.');
      await waitText(said, 'Always ready (plain directories), nothing to mount: alpha.');
      expect([count('t-up'), count('t-down')]).toEqual([1, 1]);

      expect(cli(state(), ['volume', 'mount', 't-up'])).toMatchObject({ code: 0 });
      await page.getByRole('button', { name: 'Unmount selected', exact: true }).click();
      await waitText(said, 'Unmounted: t-down.');
      await waitText(said, 't-up stays mounted (count 1 left).');
      expect([count('t-up'), count('t-down')]).toEqual([1, 0]);
    } finally {
      cli(state(), ['volume', 'unmount', '--force', 't-up', 't-down']);
      cli(state(), ['volume', 'rm', 't-up', 't-down']);
    }
  });

  it('shows who uses each volume and when it was made, sorts by it, filters by label, and changes a volume in place', async () => {
    const { page } = app;
    await page.getByRole('searchbox', { name: 'Search' }).fill('');
    await createThroughForm(page, 'labelled', 'tmpfs (memory)', { Size: '4m', Labels: 'team=db\nscratch' });
    expect(JSON.parse(cli(state(), ['volume', 'inspect', 'labelled']).stdout)[0]).toMatchObject({ Labels: { team: 'db', scratch: '' } });
    for (const header of ['Used by', 'Created']) await page.getByRole('columnheader', { name: header }).waitFor();
    expect(await row(page, 'labelled').locator('.c-created').innerText()).not.toBe('');

    // Newest first, by the Created column.
    await page.getByRole('columnheader', { name: 'Created' }).getByRole('button').click();
    await page.getByRole('columnheader', { name: 'Created' }).getByRole('button').click();
    await expect.poll(() => page.getByRole('columnheader', { name: /Created/ }).getAttribute('aria-sort')).toBe('descending');
    expect(await page.getByRole('row').nth(1).getAttribute('aria-label')).toBe('labelled');

    const filter = page.getByRole('searchbox', { name: 'Filter by label' });
    await filter.fill('team=db');
    await waitText(page.locator('.count-line'), /^1 of \d+ volumes/);
    await filter.fill('team=web');
    await waitText(page.locator('.count-line'), /^0 of \d+ volumes/);
    await filter.fill('');

    // What a plain directory holds, where no statfs can say it.
    writeFileSync(join(state(), 'volumes', 'alpha', '_data', 'notes.txt'), 'twelve bytes');
    const alpha = await openDetails(page, 'alpha');
    await waitText(alpha, 'Holds1 file or folder (12 B)');
    await page.keyboard.press('Escape');
    await alpha.waitFor({ state: 'detached' });

    const details = await openDetails(page, 'labelled');
    await waitText(details, 'team=db, scratch');
    await waitText(details, 'nothing while unmounted');
    await details.getByText('Change options and labels').click();
    const form = details.getByRole('form', { name: 'Change labelled' });
    await form.getByLabel('Mount options').fill('type=tmpfs\nsize=8m');
    await form.getByLabel('Labels').fill('team=web');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await waitText(details, 'size=8m');
    expect(JSON.parse(cli(state(), ['volume', 'inspect', 'labelled']).stdout)[0]).toMatchObject({ Options: { type: 'tmpfs', size: '8m' }, Labels: { team: 'web' } });
    // Refused where the person is looking: in the dialog, and nothing changes.
    await form.getByLabel('Mount options').fill('type=tmpfs\nsize=lots');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await waitText(form.getByRole('alert'), 'Invalid volume option');
    expect(JSON.parse(cli(state(), ['volume', 'inspect', 'labelled']).stdout)[0].Options.size).toBe('8m');
    await page.keyboard.press('Escape');
    await details.waitFor({ state: 'detached' });
    expect(cli(state(), ['volume', 'rm', 'labelled']).code).toBe(0);
  });
});
