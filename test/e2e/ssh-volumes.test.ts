// End to end: an SSH volume made in the window against the tests' own OpenSSH server, its
// remote folder picked from the list the server gives over SFTP after trusting its host key
// in the form, set to mount at login, mounted, read, unmounted and removed; and an unknown
// host met at mount time, trusted from the guided error's own action.

import { chmodSync, copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { storeIdOf } from '../../app/system/elevated-targets.js';
import { cli } from '../helpers/cli.js';
import { describeIf, isRoot, recordedHostLine, SSH, sshUp } from '../helpers/env.js';
import { mountsUnder, tempDir } from '../helpers/fixtures.js';
import { canRunBrowser, createThroughForm, openApp, removeThroughWindow, row, rowButton, SCREENSHOTS, type OpenApp, waitStatus, waitText } from './app.js';

describeIf(isRoot && sshUp() && canRunBrowser(), 'root, chromium, sshfs and the test sshd (test/setup/provision.sh)')('the window, SSH volumes', () => {
  let t: ReturnType<typeof tempDir>;
  let app: OpenApp;
  let key: string;
  const saved = { ...process.env };
  const state = () => join(t.dir, 'state');

  beforeAll(async () => {
    t = tempDir('vm-e2e-ssh-');
    key = join(t.dir, 'key');
    copyFileSync(SSH.key, key);
    chmodSync(key, 0o600);
    // The host process inherits these: its own known_hosts and autostart folder, not root's.
    process.env.VOLUME_MANAGER_KNOWN_HOSTS = join(t.dir, 'known_hosts');
    process.env.XDG_CONFIG_HOME = join(t.dir, 'config');
    app = await openApp({ stateDir: state() });
  });
  afterAll(async () => {
    await app?.close();
    process.env.VOLUME_MANAGER_KNOWN_HOSTS = saved.VOLUME_MANAGER_KNOWN_HOSTS;
    process.env.XDG_CONFIG_HOME = saved.XDG_CONFIG_HOME;
    if (saved.VOLUME_MANAGER_KNOWN_HOSTS === undefined) delete process.env.VOLUME_MANAGER_KNOWN_HOSTS;
    if (saved.XDG_CONFIG_HOME === undefined) delete process.env.XDG_CONFIG_HOME;
    t?.cleanup();
  });

  it('creates an SSH volume through the form, picking the remote folder after trusting the host, and mounts it with no prompt', async () => {
    const { page } = app;
    await createThroughForm(page, 'remote', 'SSH folder (no root needed)', { Host: '127.0.0.1', User: SSH.user, Port: String(SSH.port), 'Key file': key, 'Mount at login': true }, async (dialog) => {
      await dialog.getByRole('button', { name: 'List remote folders' }).click();
      // The untouched Remote folder is not called broken while the server is asked.
      expect(await dialog.getByLabel('Remote folder', { exact: true }).getAttribute('aria-invalid')).toBe('false');
      expect(await dialog.locator('#create-problem').innerText()).toBe('');
      // The host is unknown: the form shows its key and lets the person trust it.
      const trust = dialog.getByRole('group', { name: 'Trust this host' });
      await waitText(trust, /SHA256:/);
      await trust.getByRole('button', { name: 'Trust [127.0.0.1]:2222' }).click();
      for (const folder of ['srv', 'volume-manager-test', 'ssh']) await dialog.getByRole('button', { name: folder, exact: true }).click();
      await dialog.getByLabel('Folders in /srv/volume-manager-test/ssh').waitFor();
      expect(await dialog.getByLabel('Remote folder', { exact: true }).inputValue()).toBe(SSH.remote);
      await page.screenshot({ path: join(SCREENSHOTS, 'ssh-form.png') });
    });
    expect(readFileSync(join(t.dir, 'known_hosts'), 'utf8')).toMatch(recordedHostLine());
    const stored = JSON.parse(readFileSync(join(state(), 'volumes.json'), 'utf8')).volumes.remote;
    expect(stored).toMatchObject({ options: { type: 'sshfs', device: `${SSH.user}@127.0.0.1:${SSH.remote}`, o: `port=${SSH.port},IdentityFile=${key}` }, mountAt: 'login' });
    expect(existsSync(join(t.dir, 'config', 'autostart', `volume-manager-restore-${storeIdOf(state())}.desktop`))).toBe(true);

    await rowButton(page, 'remote', 'Mount').click();
    await waitStatus(page, 'remote', 'mounted');
    const mp = join(state(), 'volumes', 'remote', '_data');
    expect(mountsUnder(state()).map((m) => m.fstype)).toEqual(['fuse.sshfs']);
    expect(readFileSync(join(mp, 'README'), 'utf8')).toBe('served over SFTP\n');
    await rowButton(page, 'remote', 'Unmount').click();
    await waitStatus(page, 'remote', 'not mounted');
    expect(mountsUnder(state())).toHaveLength(0);
    await removeThroughWindow(page, 'remote');
    await row(page, 'remote').waitFor({ state: 'detached' });
    expect(existsSync(join(t.dir, 'config', 'autostart', `volume-manager-restore-${storeIdOf(state())}.desktop`))).toBe(false);
  });

  it('trusts an unknown host from the guided error of a mount, then mounts', async () => {
    const { page } = app;
    // Same server under another name: known_hosts knows [127.0.0.1]:2222, not [localhost]:2222.
    const made = cli(state(), ['volume', 'create', '--opt', 'type=sshfs', '--opt', `device=${SSH.user}@localhost:${SSH.remote}`, '--opt', `o=port=${SSH.port},IdentityFile=${key}`, 'byname'], { env: { VOLUME_MANAGER_KNOWN_HOSTS: join(t.dir, 'known_hosts') } });
    expect(made.code).toBe(0);
    await row(page, 'byname').waitFor();
    await rowButton(page, 'byname', 'Mount').click();
    const panel = page.getByRole('alert', { name: 'Error: This SSH server is not known yet' });
    await panel.waitFor();
    expect(await panel.getAttribute('data-code')).toBe('SSH_HOST_UNKNOWN');
    await panel.getByRole('button', { name: 'Trust this host…' }).click();
    await panel.getByRole('button', { name: 'Trust [localhost]:2222' }).click();
    await waitStatus(page, 'byname', 'mounted');
    expect(mountsUnder(state()).map((m) => m.fstype)).toEqual(['fuse.sshfs']);
    await rowButton(page, 'byname', 'Unmount').click();
    await waitStatus(page, 'byname', 'not mounted');
    await removeThroughWindow(page, 'byname');
    await row(page, 'byname').waitFor({ state: 'detached' });
  });

  it('shows, at its next start, what failed to come back at login', async () => {
    const loginState = join(t.dir, 'login-state');
    const env = { VOLUME_MANAGER_KNOWN_HOSTS: join(t.dir, 'known_hosts'), XDG_CONFIG_HOME: join(t.dir, 'config') };
    const made = cli(loginState, ['volume', 'create', '--mount-at', 'login', '--opt', 'type=sshfs', '--opt', `device=${SSH.user}@127.0.0.1:${SSH.remote}`, '--opt', `o=port=2299,IdentityFile=${key}`, 'away'], { env });
    expect(made.code).toBe(0);
    // What the autostart entry runs at login, where nobody is looking.
    expect(cli(loginState, ['volume', 'restore'], { env }).code).toBe(125);
    expect(existsSync(join(loginState, 'last-restore.json'))).toBe(true);
    const later = await openApp({ stateDir: loginState });
    try {
      const panel = later.page.getByRole('alert', { name: 'Error: The SSH server does not answer' });
      await waitText(panel, 'away, at login');
      expect(await panel.getAttribute('data-code')).toBe('SSH_UNREACHABLE');
    } finally {
      await later.close();
    }
    // Shown once: the reminder is gone from the state directory.
    expect(existsSync(join(loginState, 'last-restore.json'))).toBe(false);
    expect(cli(loginState, ['volume', 'rm', 'away'], { env }).code).toBe(0);
  });
});
