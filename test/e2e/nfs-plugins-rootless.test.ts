// End to end through the window: the NFS form against nfs-ganesha on loopback, a plugin
// volume's lifecycle against the test plugin, and the window run by an unprivileged user
// with polkit allowing, denying and absent. Each ends in a check of the real system.

import { chmodSync, chownSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { PSEUDO_ID } from '../../app/plugin-client/protocol.js';
import { cli } from '../helpers/cli.js';
import { describeIf, ganeshaUp, isRoot, NFS_EXPORT, polkitUp } from '../helpers/env.js';
import { mountsUnder, tempDir } from '../helpers/fixtures.js';
import { startPlugin, stopAllPlugins } from '../helpers/plugin.js';
import { elevatedMountsOf, RULE, ruleText, USER, waitForPolkit } from '../helpers/polkit.js';
import { canRunBrowser, createThroughForm, openApp, removeThroughWindow, row, rowButton, SCREENSHOTS, waitStatus, waitText } from './app.js';

let t: ReturnType<typeof tempDir>;
beforeAll(() => {
  t = tempDir('vm-e2e2-');
  chmodSync(t.dir, 0o755);
});
afterEach(() => stopAllPlugins());
afterAll(() => t.cleanup());

describeIf(isRoot && canRunBrowser() && ganeshaUp(), 'root, chromium and nfs-ganesha on 127.0.0.1 (test/setup/provision.sh)')('the window, NFS', () => {
  it("picks the export from the server's list, then shows the kernel's missing NFS client as a guided error", async () => {
    const state = join(t.dir, 'nfs-state');
    const app = await openApp({ stateDir: state });
    try {
      const { page } = app;
      await page.getByRole('button', { name: 'Create volume' }).click();
      const dialog = page.getByRole('dialog', { name: 'Create volume' });
      await dialog.getByLabel('Name', { exact: true }).fill('share');
      await dialog.getByLabel('Type', { exact: true }).selectOption({ label: 'NFS share' });
      await dialog.getByLabel('Server', { exact: true }).fill('127.0.0.1');
      await dialog.getByRole('button', { name: 'List exports' }).click();
      // The first export listed is filled in; the others are offered as the field's choices.
      await expect.poll(() => dialog.getByLabel('Export', { exact: true }).inputValue()).toBe(NFS_EXPORT);
      await waitText(dialog, /\d+ exports? listed: type or pick one/);
      expect(await dialog.locator('datalist option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value))).toContain(NFS_EXPORT);
      await dialog.getByLabel('NFS version', { exact: true }).selectOption('4.1');
      await dialog.getByRole('button', { name: 'Create', exact: true }).click();
      await row(page, 'share').waitFor();
      expect(JSON.parse(readFileSync(join(state, 'volumes.json'), 'utf8')).volumes.share.options).toEqual({ type: 'nfs', device: `127.0.0.1:${NFS_EXPORT}`, o: 'addr=127.0.0.1,nfsvers=4.1' });

      await rowButton(page, 'share', 'Mount').click();
      const panel = page.getByRole('alert', { name: /^Error: / });
      await waitText(panel, 'mount.nfs');
      expect(await panel.getAttribute('data-code')).toBe('NFS_KERNEL_MISSING');
      await waitText(panel, 'Try again');
      // The engine is root here: its fixes are written without sudo.
      await waitText(panel, 'modprobe nfs');
      expect(await panel.innerText()).not.toContain('sudo ');
      await page.screenshot({ path: join(SCREENSHOTS, 'guided-error.png') });
      expect(mountsUnder(state)).toHaveLength(0);
      await waitStatus(page, 'share', 'not mounted');
    } finally {
      await app.close();
    }
  });
});

describeIf(isRoot && canRunBrowser(), 'root and chromium (test/setup/provision.sh)')('the window, a plugin volume', () => {
  it('creates, mounts, unmounts and removes a plugin volume, and lists the plugin', async () => {
    const sockets = join(t.dir, 'sockets');
    mkdirSync(sockets, { recursive: true });
    const plugin = await startPlugin({ listen: `unix://${join(sockets, 'e2eplug.sock')}`, root: join(t.dir, 'plugin-root') });
    const app = await openApp({ stateDir: join(t.dir, 'plugin-state'), pluginSocketDirs: [sockets] });
    try {
      const { page } = app;
      await page.getByText(/^Drivers \(/).click();
      await waitText(page.getByRole('row', { name: 'Driver e2eplug' }), 'answers');
      await createThroughForm(page, 'remote', 'Volume plugin', { Driver: 'e2eplug', 'Plugin options': 'color=blue\no=timeout=9' });
      await rowButton(page, 'remote', 'Mount').click();
      await waitStatus(page, 'remote', 'mounted');
      await waitText(row(page, 'remote'), join(plugin.root, 'volumes', 'remote'));
      await page.screenshot({ path: join(SCREENSHOTS, 'plugin-volume.png') });
      await rowButton(page, 'remote', 'Unmount').click();
      await waitStatus(page, 'remote', 'not mounted');
      await removeThroughWindow(page, 'remote');
      await row(page, 'remote').waitFor({ state: 'detached' });
      const calls = plugin.calls().filter((c) => c.call.startsWith('VolumeDriver.') && c.call !== 'VolumeDriver.Capabilities' && c.call !== 'VolumeDriver.List');
      // Get first, as podman: a volume the plugin already had would be adopted, not created.
      expect(calls).toEqual([
        { call: 'VolumeDriver.Get', body: { Name: 'remote' } },
        { call: 'VolumeDriver.Create', body: { Name: 'remote', Opts: { color: 'blue' } } },
        { call: 'VolumeDriver.Mount', body: { Name: 'remote', ID: PSEUDO_ID } },
        { call: 'VolumeDriver.Unmount', body: { Name: 'remote', ID: PSEUDO_ID } },
        { call: 'VolumeDriver.Remove', body: { Name: 'remote' } },
      ]);
    } finally {
      await app.close();
    }
  });
  it('says where plugins are looked for when none is found, and follows a plugin that starts, stops and comes back, with no Refresh', async () => {
    const sockets = join(t.dir, 'sockets-live');
    mkdirSync(sockets, { recursive: true });
    const app = await openApp({ stateDir: join(t.dir, 'live-state'), pluginSocketDirs: [sockets] });
    try {
      const { page } = app;
      await page.getByRole('button', { name: 'Create volume' }).click();
      const create = page.getByRole('dialog', { name: 'Create volume' });
      await create.getByLabel('Type', { exact: true }).selectOption({ label: 'Volume plugin' });
      await waitText(create, 'No volume plugin was found');
      await waitText(create, join(sockets, 'NAME.sock'));
      await page.keyboard.press('Escape');
      await create.waitFor({ state: 'detached' });

      await page.getByText(/^Drivers \(/).click();
      let plugin = await startPlugin({ listen: `unix://${join(sockets, 'liveplug.sock')}`, root: join(t.dir, 'live-root') });
      await waitText(page.getByRole('row', { name: 'Driver liveplug' }), 'answers');
      await createThroughForm(page, 'follows', 'Volume plugin', { Driver: 'liveplug' });
      await plugin.stop('SIGTERM');
      await page.getByRole('row', { name: 'Driver liveplug' }).waitFor({ state: 'detached' });
      await rowButton(page, 'follows', 'Mount').click();
      const panel = page.getByRole('alert').filter({ hasText: '— follows' });
      await waitText(panel, 'liveplug');
      // Back under the same socket: the error about it goes by itself.
      plugin = await startPlugin({ listen: `unix://${join(sockets, 'liveplug.sock')}`, root: join(t.dir, 'live-root') });
      await waitText(page.getByRole('row', { name: 'Driver liveplug' }), 'answers');
      await panel.waitFor({ state: 'detached' });
    } finally {
      await app.close();
    }
  });

  it("offers, in the error of a volume whose plugin stopped, to remove it: the question says only its record goes", async () => {
    const sockets = join(t.dir, 'sockets-gone');
    mkdirSync(sockets, { recursive: true });
    const plugin = await startPlugin({ listen: `unix://${join(sockets, 'goneplug.sock')}`, root: join(t.dir, 'gone-root') });
    const state = join(t.dir, 'gone-state');
    const app = await openApp({ stateDir: state, pluginSocketDirs: [sockets] });
    try {
      const { page } = app;
      await createThroughForm(page, 'orphan', 'Volume plugin', { Driver: 'goneplug' });
      await plugin.stop('SIGTERM');
      await rowButton(page, 'orphan', 'Mount').click();
      const panel = page.getByRole('alert').filter({ hasText: '— orphan' });
      await waitText(panel, 'goneplug');
      expect(await panel.getAttribute('data-code')).toBe('PLUGIN_MISSING');
      expect(await panel.locator('.error-head').getByRole('button').allInnerTexts()).toEqual(['Try again', 'Remove…', 'Dismiss']);
      await panel.getByRole('button', { name: 'Remove…' }).click();
      const ask = page.getByRole('alertdialog', { name: 'Remove orphan?' });
      await waitText(ask, 'orphan: its plugin is not running: only its record here goes');
      await ask.getByRole('button', { name: 'Remove orphan' }).click();
      await row(page, 'orphan').waitFor({ state: 'detached' });
      await panel.waitFor({ state: 'detached' });
      await waitText(page.getByRole('status', { name: 'Messages' }), 'Removed: orphan.');
      expect(JSON.parse(readFileSync(join(state, 'volumes.json'), 'utf8')).volumes.orphan).toBeUndefined();
    } finally {
      await app.close();
    }
  });
});

describeIf(polkitUp() && canRunBrowser(), 'root, pkexec, polkitd, the user vmtest and chromium (test/setup/provision.sh)')('the window run by an unprivileged user', () => {
  let dist: string;
  let state: string;
  beforeAll(() => {
    // A copy of the bundle the user can read, wherever the checkout lives.
    dist = join(t.dir, 'dist');
    cpSync(resolve(import.meta.dirname, '../../dist'), dist, { recursive: true });
    state = join(t.dir, 'user-state');
    mkdirSync(state);
    const uid = Number(spawnSync('id', ['-u', USER], { encoding: 'utf8' }).stdout);
    chownSync(state, uid, uid);
    expect(cli(state, ['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'size=4m', 'user-vol'], { user: USER, cliPath: join(dist, 'cli.cjs') })).toMatchObject({ code: 0 });
  });
  afterAll(() => {
    rmSync(RULE, { force: true });
    waitForPolkit('no-agent');
  });

  const attempt = async (expectCode: string | null, shot?: string) => {
    const app = await openApp({ stateDir: state, user: USER, dist });
    try {
      const { page } = app;
      await rowButton(page, 'user-vol', 'Mount').click();
      if (expectCode === null) {
        await waitStatus(page, 'user-vol', 'mounted');
        expect(elevatedMountsOf(state).map((m) => m.options)).toEqual([expect.stringMatching(/nosuid,nodev/)]);
        expect(mountsUnder(state)).toHaveLength(0);
        await rowButton(page, 'user-vol', 'Unmount').click();
        await waitStatus(page, 'user-vol', 'not mounted');
        expect(elevatedMountsOf(state)).toHaveLength(0);
        return;
      }
      const panel = page.getByRole('alert', { name: /^Error: / });
      await panel.waitFor();
      expect(await panel.getAttribute('data-code')).toBe(expectCode);
      if (shot) await page.screenshot({ path: join(SCREENSHOTS, shot) });
      expect(mountsUnder(state)).toHaveLength(0);
      expect(elevatedMountsOf(state)).toHaveLength(0);
    } finally {
      await app.close();
    }
  };

  it('mounts through pkexec when polkit allows it', async () => {
    writeFileSync(RULE, ruleText('YES'));
    waitForPolkit('allowed');
    await attempt(null);
  });

  it('shows ELEVATION_DENIED when polkit denies it', async () => {
    writeFileSync(RULE, ruleText('NO'));
    waitForPolkit('denied');
    await attempt('ELEVATION_DENIED', 'rootless-denied.png');
  });

  it('shows NO_POLKIT_AGENT when no rule decides and no agent can ask', async () => {
    rmSync(RULE, { force: true });
    waitForPolkit('no-agent');
    await attempt('NO_POLKIT_AGENT');
  });
});
