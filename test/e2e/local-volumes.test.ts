// End to end, as a person uses the window: tmpfs and bind volumes through the form, an
// outside umount and a command-line change seen by the window, invalid names refused. Each
// scenario ends in a check of the real system: the mount table and the files.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { describeIf, isRoot } from '../helpers/env.js';
import { mountsUnder, tempDir } from '../helpers/fixtures.js';
import { canRunBrowser, createThroughForm, openApp, openDetails, removeThroughWindow, row, rowButton, SCREENSHOTS, type OpenApp, waitStatus, waitText } from './app.js';

describeIf(isRoot && canRunBrowser(), 'root and Debian chromium (/usr/bin/chromium) or an Electron binary (test/setup/provision.sh)')('the window, local volumes', () => {
  let t: ReturnType<typeof tempDir>;
  let app: OpenApp;
  const state = () => join(t.dir, 'state');
  const mountedAt = (name: string) => mountsUnder(t.dir).filter((m) => m.mountpoint === join(state(), 'volumes', name, '_data'));

  beforeAll(async () => {
    t = tempDir('vm-e2e-');
    mkdirSync(state());
    app = await openApp({ stateDir: state() });
  });
  afterAll(async () => {
    await app?.close();
    t.cleanup();
  });

  it('creates a tmpfs with a size through the form, mounts, writes, unmounts and removes it', async () => {
    const { page } = app;
    await createThroughForm(page, 'scratch', 'tmpfs (memory)', { Size: '16m', Mode: '0750' }, async (dialog) => {
      // The engine is root here: nothing will ask for a password, and the form does not say it would.
      expect(await dialog.getByText('Not running as root?').count()).toBe(0);
    });
    expect(JSON.parse(readFileSync(join(state(), 'volumes.json'), 'utf8')).volumes.scratch.options).toEqual({ type: 'tmpfs', size: '16m', o: 'mode=0750' });

    await rowButton(page, 'scratch', 'Mount').click();
    await waitStatus(page, 'scratch', 'mounted');
    const mp = join(state(), 'volumes', 'scratch', '_data');
    await waitText(row(page, 'scratch'), mp);
    expect(mountedAt('scratch')).toHaveLength(1);
    expect(mountedAt('scratch')[0]).toMatchObject({ fstype: 'tmpfs' });
    expect(mountedAt('scratch')[0]!.options).toContain('size=16384k');
    writeFileSync(join(mp, 'hello.txt'), 'in memory');
    await page.getByRole('button', { name: 'Refresh' }).click();
    await waitText(row(page, 'scratch'), 'of 17 MB');
    await page.screenshot({ path: join(SCREENSHOTS, 'volumes.png') });

    const details = await openDetails(page, 'scratch');
    await waitText(details, '"MountCount": 1');
    // The size set in the form is a mount option, said as one.
    await waitText(details.locator('dl.facts > div', { hasText: 'Mount options' }), 'size=16m, mode=0750');
    await page.getByRole('button', { name: 'Close' }).click();

    await rowButton(page, 'scratch', 'Unmount').click();
    await waitStatus(page, 'scratch', 'not mounted');
    expect(mountedAt('scratch')).toHaveLength(0);
    await removeThroughWindow(page, 'scratch');
    await row(page, 'scratch').waitFor({ state: 'detached' });
    expect(JSON.parse(readFileSync(join(state(), 'volumes.json'), 'utf8')).volumes.scratch).toBeUndefined();
  });

  it('binds a folder picked in the folder picker, showing its files at the mountpoint', async () => {
    const { page } = app;
    const source = join(t.dir, 'project');
    mkdirSync(source);
    mkdirSync(join(t.dir, 'other'));
    writeFileSync(join(source, 'README'), 'bound');
    writeFileSync(join(t.dir, 'not-a-folder'), '');
    // The picker opens where the typed path points; it lists folders only, and goes into one.
    await createThroughForm(page, 'project', 'Bind a folder', { 'Source folder': join(t.dir, 'missing'), 'Read-only': true }, async (dialog) => {
      const sourceField = dialog.getByLabel('Source folder', { exact: true });
      const picker = dialog.getByRole('group', { name: 'Choose a folder' });
      // A typed path that cannot be listed opens the picker at home, with the reason.
      await dialog.getByRole('button', { name: 'Browse folders…' }).click();
      await waitText(picker.getByRole('alert'), 'This folder cannot be listed');
      await expect.poll(() => picker.getByLabel('Folder path').inputValue()).toBe(homedir());
      // Its own button closes the list only: the form's Cancel is the one that throws it away.
      expect(await dialog.getByRole('button', { name: 'Cancel', exact: true }).count()).toBe(1);
      await picker.getByRole('button', { name: 'Close folder list' }).click();
      await sourceField.fill(join(t.dir, 'other'));
      await dialog.getByRole('button', { name: 'Browse folders…' }).click();
      // A path typed in its box, Enter: it goes there, and the form is not submitted.
      await expect.poll(() => picker.getByLabel('Folder path').inputValue()).toBe(join(t.dir, 'other'));
      await picker.getByLabel('Folder path').fill(t.dir);
      await picker.getByLabel('Folder path').press('Enter');
      const folders = picker.getByRole('list', { name: 'Folders' });
      await folders.getByRole('button', { name: 'project', exact: true }).waitFor();
      expect(await folders.getByRole('button').allInnerTexts()).toEqual(expect.arrayContaining(['other', 'project']));
      expect(await folders.getByRole('button', { name: 'not-a-folder' }).count()).toBe(0);
      await page.screenshot({ path: join(SCREENSHOTS, 'folder-picker.png') });
      await folders.getByRole('button', { name: 'project', exact: true }).click();
      await expect.poll(() => picker.getByLabel('Folder path').inputValue()).toBe(source);
      await picker.getByRole('button', { name: 'Use this folder' }).click();
      await picker.waitFor({ state: 'detached' });
      expect(await sourceField.inputValue()).toBe(source);
    });
    expect(JSON.parse(readFileSync(join(state(), 'volumes.json'), 'utf8')).volumes.project.options.device).toBe(source);
    await rowButton(page, 'project', 'Mount').click();
    await waitStatus(page, 'project', 'mounted');
    expect(readFileSync(join(state(), 'volumes', 'project', '_data', 'README'), 'utf8')).toBe('bound');
    expect(mountedAt('project')[0]!.options.split(',')).toContain('ro');
    // A bind's statfs is the whole disk its folder lives on: no Used for it, in the row or the details.
    await page.getByRole('button', { name: 'Refresh' }).click();
    expect(await row(page, 'project').innerText()).not.toMatch(/\bof \d/);
    await rowButton(page, 'project', 'Unmount').click();
    await waitStatus(page, 'project', 'not mounted');
    expect(mountedAt('project')).toHaveLength(0);
  });

  it('shows a command-line change and an outside umount without a reload', async () => {
    const { page } = app;
    expect(cli(state(), ['volume', 'create', '--opt', 'type=tmpfs', 'outside'])).toMatchObject({ code: 0 });
    expect(cli(state(), ['volume', 'mount', 'outside'])).toMatchObject({ code: 0 });
    await waitStatus(page, 'outside', 'mounted');
    const { spawnSync } = await import('node:child_process');
    expect(spawnSync('umount', [join(state(), 'volumes', 'outside', '_data')]).status).toBe(0);
    await waitStatus(page, 'outside', 'not mounted');
    expect(JSON.parse(readFileSync(join(state(), 'volumes.json'), 'utf8')).volumes.outside.mountCount).toBe(0);
  });

  it('mounts several selected volumes in one batch', async () => {
    const { page } = app;
    for (const n of ['batch-a', 'batch-b']) expect(cli(state(), ['volume', 'create', '--opt', 'type=tmpfs', n]).code).toBe(0);
    await row(page, 'batch-b').waitFor();
    await page.getByRole('checkbox', { name: 'Select batch-a' }).check();
    await page.getByRole('checkbox', { name: 'Select batch-b' }).check();
    await page.getByRole('button', { name: 'Mount selected', exact: true }).click();
    await waitStatus(page, 'batch-a', 'mounted');
    await waitStatus(page, 'batch-b', 'mounted');
    expect(mountedAt('batch-a')).toHaveLength(1);
    expect(mountedAt('batch-b')).toHaveLength(1);
    await page.getByRole('button', { name: 'Unmount selected', exact: true }).click();
    await waitStatus(page, 'batch-b', 'not mounted');
    expect(mountedAt('batch-a')).toHaveLength(0);
  });

  it("puts what the engine refuses at its field, in the form's words: a name taken, a folder that is not there, a mount option", async () => {
    const { page } = app;
    expect(cli(state(), ['volume', 'create', 'taken'])).toMatchObject({ code: 0 });
    await page.getByRole('button', { name: 'Create volume' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create volume' });
    const fieldSays = async (label: string, text: string) => {
      const field = dialog.getByLabel(label, { exact: true });
      await expect.poll(() => field.getAttribute('aria-invalid'), { message: `${label} is not marked invalid` }).toBe('true');
      const id = (await field.getAttribute('aria-describedby'))!;
      await waitText(dialog.locator(`[id="${id}"]`), text);
      expect(await dialog.locator('#create-problem').innerText()).toBe('');
    };
    await dialog.getByLabel('Name', { exact: true }).fill('taken');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await fieldSays('Name', 'A volume named taken already exists');

    await dialog.getByLabel('Name', { exact: true }).fill('fresh');
    await dialog.getByLabel('Type', { exact: true }).selectOption({ label: 'Bind a folder' });
    await dialog.getByLabel('Source folder', { exact: true }).fill(join(t.dir, 'not-there'));
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await fieldSays('Source folder', `There is no folder at ${join(t.dir, 'not-there')}`);

    await dialog.getByLabel('Type', { exact: true }).selectOption({ label: 'NFS share' });
    await dialog.getByLabel('Server', { exact: true }).fill('127.0.0.1');
    await dialog.getByLabel('Export', { exact: true }).fill('/srv/x');
    await dialog.getByLabel('Extra options', { exact: true }).fill('x;y');
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await fieldSays('Extra options', 'is not accepted here');
    await page.keyboard.press('Escape');
    await dialog.getByRole('button', { name: 'Discard' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(JSON.parse(readFileSync(join(state(), 'volumes.json'), 'utf8')).volumes.fresh).toBeUndefined();
    expect(cli(state(), ['volume', 'rm', 'taken'])).toMatchObject({ code: 0 });
  });

  it('says what is wrong with a field once it is left, in its own words, and creates nothing', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Create volume' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create volume' });
    const name = dialog.getByLabel('Name', { exact: true });
    // Choosing Bind before typing anything says nothing yet.
    await dialog.getByLabel('Type', { exact: true }).selectOption({ label: 'Bind a folder' });
    expect(await dialog.getByLabel('Source folder', { exact: true }).getAttribute('aria-invalid')).toBe('false');
    expect(await dialog.innerText()).not.toMatch(/invalid device|Choose the folder/);
    await name.fill('bad name');
    expect(await name.getAttribute('aria-invalid')).toBe('false');
    await page.keyboard.press('Tab');
    await waitText(dialog, 'Use letters, digits and _ . - only');
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    // Create shows every problem and puts the focus on the first.
    await dialog.getByRole('button', { name: 'Create', exact: true }).click();
    await waitText(dialog, 'Choose the folder to bind');
    await expect.poll(() => name.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await name.fill('fine');
    await dialog.getByLabel('Type', { exact: true }).selectOption({ label: 'tmpfs (memory)' });
    await dialog.getByLabel('Size', { exact: true }).fill('lots');
    await dialog.getByLabel('Mode', { exact: true }).fill('abc');
    await page.keyboard.press('Tab');
    await waitText(dialog, 'Size is a number of bytes');
    await waitText(dialog, 'Mode is an octal permission');
    expect(await name.getAttribute('aria-invalid')).toBe('false');
    await page.screenshot({ path: join(SCREENSHOTS, 'create-form.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(Object.keys(JSON.parse(readFileSync(join(state(), 'volumes.json'), 'utf8')).volumes)).not.toContain('fine');
  });
});
