// End to end: nothing a person owns is removed from the window without a question that names
// it and says what goes. A plain-directory volume holding a file survives a Remove answered
// with Escape and a prune answered "Keep them"; a confirmed prune reports what it removed, and
// its files are gone; a bind volume's question says its files stay at their source.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { describeIf, isRoot } from '../helpers/env.js';
import { mountsUnder, tempDir } from '../helpers/fixtures.js';
import { canRunBrowser, hasFocus, openApp, row, SCREENSHOTS, waitText, type OpenApp } from './app.js';

describeIf(isRoot && canRunBrowser(), 'root and Debian chromium (/usr/bin/chromium) or an Electron binary (test/setup/provision.sh)')('the window, removing volumes', () => {
  let t: ReturnType<typeof tempDir>;
  let app: OpenApp;
  const state = () => join(t.dir, 'state');
  const data = (name: string) => join(state(), 'volumes', name, '_data');

  beforeAll(async () => {
    t = tempDir('vm-e2e-remove-');
    mkdirSync(state());
    expect(cli(state(), ['volume', 'create', 'keepme'])).toMatchObject({ code: 0 });
    writeFileSync(join(data('keepme'), 'thesis.txt'), 'three years of work');
    const source = join(t.dir, 'source');
    mkdirSync(source);
    expect(cli(state(), ['volume', 'create', '--opt', 'type=bind', '--opt', `device=${source}`, 'linked'])).toMatchObject({ code: 0 });
    app = await openApp({ stateDir: state() });
  });
  afterAll(async () => {
    await app?.close();
    t.cleanup();
  });

  it('names the volume and its files before a Remove; Escape keeps it and gives focus back', async () => {
    const { page } = app;
    // By keyboard: the row's ⋯ menu, its Remove… item, and the question.
    const more = row(page, 'keepme').getByRole('button', { name: 'More actions for keepme' });
    await more.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menu', { name: 'Actions for keepme' }).waitFor();
    await page.keyboard.press('End');
    expect(await hasFocus(page.getByRole('menuitem', { name: 'Remove…' }))).toBe(true);
    await page.keyboard.press('Enter');
    const ask = page.getByRole('alertdialog', { name: 'Remove keepme?' });
    await waitText(ask, 'keepme: 1 file or folder (19 B) is deleted');
    // The safe answer has the focus.
    expect(await hasFocus(ask.getByRole('button', { name: 'Keep keepme' }))).toBe(true);
    // The page behind is out of reach: Tab goes round the question's own buttons.
    for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
    expect(await ask.evaluate((d) => d.contains(d.ownerDocument.activeElement))).toBe(true);
    await page.keyboard.press('Escape');
    await ask.waitFor({ state: 'detached' });
    // React Aria gives the focus back within a frame of the close.
    await expect.poll(() => hasFocus(more)).toBe(true);
    expect(readFileSync(join(data('keepme'), 'thesis.txt'), 'utf8')).toBe('three years of work');
    await row(page, 'keepme').waitFor();
  });

  it('says a mounted volume is mounted and by whom, and unmounts and removes it as one confirmed step', async () => {
    const { page } = app;
    expect(cli(state(), ['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'size=4m', 'busy'])).toMatchObject({ code: 0 });
    const mp = cli(state(), ['volume', 'mount', 'busy']).stdout.trim();
    writeFileSync(join(mp, 'draft.txt'), 'in memory');
    const holder = spawn('sleep', ['60'], { cwd: mp, stdio: 'ignore' });
    try {
      await row(page, 'busy').waitFor();
      await row(page, 'busy').getByRole('button', { name: 'More actions for busy' }).click();
      await page.getByRole('menu', { name: 'Actions for busy' }).getByRole('menuitem', { name: 'Remove…' }).click();
      const ask = page.getByRole('alertdialog', { name: 'Remove busy?' });
      await waitText(ask, /busy: it is mounted \(once, used by sleep \(pid \d+/);
      await waitText(ask, '1 file or folder (9 B) is deleted');
      await ask.getByRole('button', { name: 'Unmount and remove busy' }).click();
      await waitText(page.getByRole('status', { name: 'Messages' }), 'Removed: busy.');
      await row(page, 'busy').waitFor({ state: 'detached' });
      expect(mountsUnder(state())).toHaveLength(0);
      expect(JSON.parse(cli(state(), ['volume', 'ls', '--format', 'json']).stdout).map((v: { Name: string }) => v.Name)).not.toContain('busy');
    } finally {
      holder.kill();
    }
  });

  it('lists what a prune would remove first, keeps everything when told, and reports what a confirmed one removed', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Prune unused' }).click();
    const ask = page.getByRole('alertdialog', { name: 'Remove the 2 volumes that are not mounted?' });
    await waitText(ask, 'keepme: 1 file or folder (19 B) is deleted');
    await waitText(ask, `linked: its data stays at ${join(t.dir, 'source')}`);
    await page.screenshot({ path: join(SCREENSHOTS, 'confirm-prune.png') });
    await ask.getByRole('button', { name: 'Keep them' }).click();
    await ask.waitFor({ state: 'detached' });
    expect(existsSync(join(data('keepme'), 'thesis.txt'))).toBe(true);

    await page.getByRole('button', { name: 'Prune unused' }).click();
    await waitText(ask, 'keepme: 1 file or folder');
    await ask.getByRole('button', { name: 'Remove 2 volumes' }).click();
    await waitText(page.getByRole('status', { name: 'Messages' }), 'Removed: keepme, linked.');
    expect(existsSync(data('keepme'))).toBe(false);
    expect(existsSync(join(t.dir, 'source'))).toBe(true);
    await row(page, 'keepme').waitFor({ state: 'detached' });
  });
});
