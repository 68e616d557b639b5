// End to end, another machine in the window: added through the form (its unknown host key
// shown and trusted there), switched to, a volume created there through the create form, a
// change made there by its own command line seen without a click, and back to this computer,
// whose list is its own. The machine is the tests' sshd on loopback, as the user vmtest.

import { AxeBuilder } from '@axe-core/playwright';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bundleId } from '../../main/shared/remote/far-side.js';
import { cli, CLI } from '../helpers/cli.js';
import { describeIf, isRoot, SSH, sshUp } from '../helpers/env.js';
import { tempDir } from '../helpers/fixtures.js';
import { userUid } from '../helpers/polkit.js';
import { canRunBrowser, createThroughForm, openApp, openDetails, row, SCREENSHOTS, type OpenApp, waitText } from './app.js';

const URL = `ssh://${SSH.user}@127.0.0.1:${SSH.port}`;

describeIf(isRoot && sshUp() && canRunBrowser(), 'root, the test sshd on 127.0.0.1:2222 and Debian chromium (test/setup/provision.sh)')('the window, other machines', () => {
  let t: ReturnType<typeof tempDir>;
  let app: OpenApp;
  let key: string;
  const farStore = join('/home', SSH.user, '.local', 'share', 'volume-manager');
  const farVolumes = () => (existsSync(join(farStore, 'volumes.json')) ? Object.keys(JSON.parse(readFileSync(join(farStore, 'volumes.json'), 'utf8')).volumes) : []);

  beforeAll(async () => {
    t = tempDir('vm-e2e-machines-');
    chmodSync(t.dir, 0o755);
    key = join(t.dir, 'key');
    copyFileSync(SSH.key, key);
    chmodSync(key, 0o600);
    for (const d of ['config', 'run']) mkdirSync(join(t.dir, d), { mode: 0o700 });
    // The far side's default store is vmtest's own: it starts empty for this spec.
    spawnSync('rm', ['-rf', farStore]);
    expect(cli(join(t.dir, 'state'), ['volume', 'create', 'local-only']).code).toBe(0);
    app = await openApp({
      stateDir: join(t.dir, 'state'),
      env: { VOLUME_MANAGER_KNOWN_HOSTS: join(t.dir, 'known_hosts'), XDG_CONFIG_HOME: join(t.dir, 'config'), XDG_RUNTIME_DIR: join(t.dir, 'run') },
    });
  });
  afterAll(async () => {
    await app?.close();
    spawnSync('pkill', ['-f', `ControlPath=${join(t.dir, 'run')}`]);
    spawnSync('rm', ['-rf', farStore]);
    t?.cleanup();
  });

  it('adds a machine after its key was compared and trusted, and shows its volumes, live', async () => {
    const { page } = app;
    await waitText(row(page, 'local-only'), 'local-only');
    await page.getByLabel('Machine').selectOption({ label: 'Add a machine…' });
    const dialog = page.getByRole('dialog', { name: 'Add a machine' });
    await dialog.getByLabel('Name').fill('lab');
    await dialog.getByLabel('Address').fill(URL);
    await dialog.getByLabel('Identity file (optional)').fill(key);
    await dialog.getByRole('button', { name: 'Add' }).click();
    // Unknown: nothing ran there; the keys are shown to compare.
    await waitText(dialog.getByRole('alert'), 'This SSH server is not known yet');
    const fingerprint = spawnSync('sh', ['-c', `ssh-keyscan -p ${SSH.port} -t ed25519 127.0.0.1 2>/dev/null | ssh-keygen -lf - | cut -d' ' -f2`], { encoding: 'utf8' }).stdout.trim();
    await waitText(dialog.getByLabel("The server's keys"), fingerprint);
    expect(farVolumes()).toEqual([]);
    const { violations } = await new AxeBuilder({ page }).include('.modal').analyze();
    expect(violations.map((v) => `${v.id} (${v.impact})`)).toEqual([]);
    await dialog.getByRole('button', { name: 'Trust this host' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(readFileSync(join(t.dir, 'known_hosts'), 'utf8')).toContain('ssh-ed25519');

    // Switched to lab: its (empty) list, not this computer's.
    await expect.poll(() => page.getByLabel('Machine').inputValue()).toBe('lab');
    await row(page, 'local-only').waitFor({ state: 'detached' });
    await createThroughForm(page, 'made-there', 'Plain directory');
    await waitText(row(page, 'made-there'), 'made-there');
    expect(farVolumes()).toEqual(['made-there']);
    const farDir = join(farStore, 'volumes', 'made-there', '_data');
    expect(spawnSync('stat', ['-c', '%u', farDir], { encoding: 'utf8' }).stdout.trim()).toBe(String(userUid()));

    // A change there, by its own command line, shows without a click.
    const farCli = join('/home', SSH.user, '.cache', 'volume-manager', `bundle-${bundleId(dirname(CLI))}`, 'cli.cjs');
    expect(spawnSync('runuser', ['-u', SSH.user, '--', process.execPath, farCli, 'volume', 'create', 'from-there'], { encoding: 'utf8', cwd: '/' }).status).toBe(0);
    await waitText(row(page, 'from-there'), 'from-there', 15_000);

    await page.screenshot({ path: join(SCREENSHOTS, 'machines.png') });

    // Export from that machine as a download here, and import into another of its volumes.
    spawnSync('runuser', ['-u', SSH.user, '--', 'sh', '-c', `echo from-lab > '${farDir}/note'`]);
    const details = await openDetails(page, 'made-there');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), details.getByRole('button', { name: 'Export…' }).click()]);
    const file = join(t.dir, 'made-there.tar');
    await download.saveAs(file);
    expect(await download.failure()).toBeNull();
    expect(spawnSync('tar', ['-xOf', file, 'note'], { encoding: 'utf8' }).stdout).toBe('from-lab\n');
    await waitText(page.getByRole('region', { name: 'Exports and imports', exact: true }), 'Exported made-there');
    await page.getByRole('button', { name: 'Close' }).click();
    const target = await openDetails(page, 'from-there');
    await target.getByLabel('Archive to import into from-there').setInputFiles(file);
    await waitText(page.getByRole('region', { name: 'Exports and imports', exact: true }), 'Imported');
    expect(readFileSync(join(farStore, 'volumes', 'from-there', '_data', 'note'), 'utf8')).toBe('from-lab\n');
    await page.getByRole('button', { name: 'Close' }).click();

    // The session dies (its far end killed): the machine's list error says so, once; the
    // window opens a new session at its next look, and the error goes when the machine answers.
    expect(spawnSync('pkill', ['-KILL', '-u', SSH.user, '-f', 'remote serve']).status).toBe(0);    await waitText(page.locator('.errors'), 'volume list of lab', 15_000);
    await page.locator('.errors').filter({ hasText: 'volume list of lab' }).waitFor({ state: 'detached', timeout: 20_000 });
    await waitText(row(page, 'from-there'), 'from-there');

    // Back to this computer: its own list.
    await page.getByLabel('Machine').selectOption({ label: 'This computer' });
    await waitText(row(page, 'local-only'), 'local-only');
    expect(await row(page, 'made-there').count()).toBe(0);
  });
});
