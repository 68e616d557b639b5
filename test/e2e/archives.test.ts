// End to end: Export… and Import… of a volume in the window, as a person does them. The
// export is a real download of the browser, the import a real upload of a picked file; the
// replace of a volume that holds files is asked first, naming it; and a transfer cancelled
// halfway from the window leaves the volume as it was. The cancel specs hold the transfer
// at a byte count (VOLUME_MANAGER_TEST_HOLD_TRANSFER_AT, app/system/fault-points.ts), so the
// window's Cancel always lands halfway, however fast the machine is.

import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { archive } from '../helpers/archives.js';
import { cli } from '../helpers/cli.js';
import { describeIf, isRoot } from '../helpers/env.js';
import { tempDir } from '../helpers/fixtures.js';
import { canRunBrowser, openApp, openDetails, SCREENSHOTS, waitText, type OpenApp } from './app.js';

const HOLD_AT = 4 << 20;

describeIf(isRoot && canRunBrowser(), 'root and Debian chromium (/usr/bin/chromium) or an Electron binary (test/setup/provision.sh)')('the window, export and import', () => {
  let t: ReturnType<typeof tempDir>;
  let app: OpenApp;
  let held: OpenApp;
  const state = () => join(t.dir, 'state');
  const data = (name: string) => join(state(), 'volumes', name, '_data');

  beforeAll(async () => {
    t = tempDir('vm-e2e-archive-');
    mkdirSync(state());
    for (const name of ['docs', 'copy', 'big', 'landing']) expect(cli(state(), ['volume', 'create', name])).toMatchObject({ code: 0 });
    writeFileSync(join(data('docs'), 'readme.txt'), 'exported through the window');
    mkdirSync(join(data('docs'), 'notes'));
    writeFileSync(join(data('docs'), 'notes', 'a.txt'), 'a');
    writeFileSync(join(data('big'), 'blob.bin'), Buffer.alloc(12 << 20, 7));
    writeFileSync(join(data('landing'), 'keep.txt'), 'must survive a cancelled import');
    app = await openApp({ stateDir: state() });
    held = await openApp({ stateDir: state(), env: { VOLUME_MANAGER_TEST_HOLD_TRANSFER_AT: String(HOLD_AT) } });
  });
  afterAll(async () => {
    await app?.close();
    await held?.close();
    t.cleanup();
  });

  it('exports a volume as a download and imports it into another through the file picker', async () => {
    const { page } = app;
    const details = await openDetails(page, 'docs');
    const [download] = await Promise.all([page.waitForEvent('download'), details.getByRole('button', { name: 'Export…' }).click()]);
    expect(download.suggestedFilename()).toBe('docs.tar');
    const file = join(t.dir, 'docs.tar');
    await download.saveAs(file);
    expect(await download.failure()).toBeNull();
    const listed = spawnSync('tar', ['-tf', file], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).sort();
    // podman's names: no ./ before them, and no entry for the volume itself.
    expect(listed).toEqual(['notes/', 'notes/a.txt', 'readme.txt']);
    await waitText(page.getByRole('region', { name: 'Exports and imports', exact: true }), 'Exported docs');
    await page.getByRole('button', { name: 'Close' }).click();

    const target = await openDetails(page, 'copy');
    await target.getByLabel('Archive to import into copy').setInputFiles(file);
    await waitText(page.getByRole('region', { name: 'Exports and imports', exact: true }), 'Imported copy');
    expect(readFileSync(join(data('copy'), 'readme.txt'), 'utf8')).toBe('exported through the window');
    expect(readFileSync(join(data('copy'), 'notes', 'a.txt'), 'utf8')).toBe('a');
    await page.getByRole('button', { name: 'Close' }).click();
  });

  it('says why an import was refused inside the details it was started from, not only behind them', async () => {
    const { page } = app;
    const file = join(t.dir, 'evil.tar');
    writeFileSync(file, archive([{ path: 'fine', type: 'File', body: 'ok' }, { path: '../evil.txt', type: 'File', body: 'x' }]));
    expect(cli(state(), ['volume', 'create', 'refusing'])).toMatchObject({ code: 0 });
    await page.getByRole('row', { name: 'refusing', exact: true }).waitFor();
    const details = await openDetails(page, 'refusing');
    await details.getByLabel('Archive to import into refusing').setInputFiles(file);
    const panel = details.getByRole('region', { name: 'Exports and imports of refusing', exact: true });
    const row = panel.getByRole('listitem', { name: 'Import into refusing failed' });
    await waitText(row, 'The archive has entries that could write outside the volume');
    await waitText(row.getByRole('alert'), '../evil.txt');
    expect(readdirSync(data('refusing'))).toEqual([]);
    await row.getByRole('button', { name: 'Dismiss' }).click();
    await row.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Close' }).click();
    // Behind the details, the whole error: its command names the person's file, and it offers
    // no Try again, which could only be refused the same way.
    const error = page.locator('.guided-error').filter({ hasText: '— refusing' });
    expect(await error.locator('code').allInnerTexts()).toContain('tar -tvf evil.tar');
    expect(await error.locator('.error-head').getByRole('button').allInnerTexts()).toEqual(['Dismiss']);
    await page.getByRole('button', { name: 'Dismiss all' }).or(page.getByRole('alert').getByRole('button', { name: 'Dismiss' })).first().click();
  });

  it('asks before replacing what a volume holds, naming it, and keeps it when told to', async () => {
    const { page } = app;
    const file = join(t.dir, 'other.tar');
    spawnSync('tar', ['-C', data('docs'), '-cf', file, 'notes']);
    const details = await openDetails(page, 'copy');
    await details.getByLabel('Archive to import into copy').setInputFiles(file);
    const ask = page.getByRole('alertdialog', { name: 'Replace the contents of copy?' });
    await waitText(ask, 'copy holds 3 files and folders');
    await ask.getByRole('button', { name: 'Keep copy as it is' }).click();
    await ask.waitFor({ state: 'detached' });
    expect(readdirSync(data('copy')).sort()).toEqual(['notes', 'readme.txt']);

    await details.getByLabel('Archive to import into copy').setInputFiles(file);
    await ask.getByRole('button', { name: 'Replace contents of copy' }).click();
    await expect.poll(() => readdirSync(data('copy')), { timeout: 15_000 }).toEqual(['notes']);
    await waitText(details.getByRole('region', { name: 'Exports and imports of copy', exact: true }), 'Imported copy');
    await page.getByRole('button', { name: 'Close' }).click();
  });

  it('cancels an export halfway from the window: the download fails, the volume is untouched', async () => {
    const { page } = held;
    const details = await openDetails(page, 'big');
    const [download] = await Promise.all([page.waitForEvent('download'), details.getByRole('button', { name: 'Export…' }).click()]);
    // The details are modal: the transfer is followed (and cancelled) in their own panel.
    const panel = details.getByRole('region', { name: 'Exports and imports of big', exact: true });
    await waitText(panel, /Exporting big.*4\.\d MB/s);
    await page.screenshot({ path: join(SCREENSHOTS, 'export-progress.png') });
    await panel.getByRole('listitem', { name: 'Exporting big' }).getByRole('button', { name: 'Cancel' }).click();
    await waitText(panel, 'Export of big cancelled');
    expect(await download.failure()).not.toBeNull();
    expect(readFileSync(join(data('big'), 'blob.bin')).length).toBe(12 << 20);
    expect(JSON.parse(cli(state(), ['volume', 'inspect', 'big']).stdout)[0].MountCount).toBe(0);
    await page.getByRole('button', { name: 'Close' }).click();
  });

  it('cancels an import halfway from the window, after confirming the replace: the volume is as it was', async () => {
    const { page } = held;
    const file = join(t.dir, 'big.tar');
    spawnSync('tar', ['-C', data('big'), '-cf', file, '.']);
    const details = await openDetails(page, 'landing');
    await details.getByLabel('Archive to import into landing').setInputFiles(file);
    const ask = page.getByRole('alertdialog', { name: 'Replace the contents of landing?' });
    await ask.getByRole('button', { name: 'Replace contents of landing' }).click();
    const panel = details.getByRole('region', { name: 'Exports and imports of landing', exact: true });
    await waitText(panel, /Importing landing.*4\.\d MB of 13 MB/s);
    await panel.getByRole('listitem', { name: 'Importing landing' }).getByRole('button', { name: 'Cancel' }).click();
    await waitText(panel, 'Import into landing cancelled');
    await waitText(panel, 'the volume is as it was');
    expect(readdirSync(data('landing'))).toEqual(['keep.txt']);
    expect(readFileSync(join(data('landing'), 'keep.txt'), 'utf8')).toBe('must survive a cancelled import');
    expect(JSON.parse(cli(state(), ['volume', 'inspect', 'landing']).stdout)[0].MountCount).toBe(0);
  });
});
