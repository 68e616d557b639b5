// The host's secret stays out of the browser's profile: after a session that logs in through
// the printed address, lists, reloads and downloads an export, no file of a real Chromium
// profile (History and its download chains, cookies aside) holds it. Cookies hold it by
// design, HttpOnly: the Cookies database is the one file allowed to.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_FLAGS } from '../helpers/browser-host.js';
import { cli } from '../helpers/cli.js';
import { describeIf, isRoot } from '../helpers/env.js';
import { tempDir } from '../helpers/fixtures.js';
import { openDetails, startHostProcess, waitText } from './app.js';
import { existsSync, mkdirSync } from 'node:fs';

const SECRET = 'history-test-secret-0123456789abcdefghijklmn';

describeIf(isRoot && existsSync(CHROMIUM), `root and Debian's chromium at ${CHROMIUM} (test/setup/provision.sh)`)('the host\'s secret and the browser profile', () => {
  let t: ReturnType<typeof tempDir>;
  beforeAll(() => {
    t = tempDir('vm-e2e-history-');
  });
  afterAll(() => t?.cleanup());

  it('is in no file of the profile but its cookie jar after a session with a download', async () => {
    const state = join(t.dir, 'state');
    mkdirSync(state);
    expect(cli(state, ['volume', 'create', 'docs']).code).toBe(0);
    const { child, url } = await startHostProcess({ stateDir: state, env: { VOLUME_MANAGER_HOST_TOKEN: SECRET } });
    const profile = join(t.dir, 'profile');
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_FLAGS, acceptDownloads: true });
    try {
      const page = await context.newPage();
      await page.goto(url);
      expect(new URL(page.url()).search).toBe('');
      await page.getByRole('row', { name: 'docs', exact: true }).waitFor({ timeout: 15_000 });
      await page.reload();
      await page.getByRole('row', { name: 'docs', exact: true }).waitFor({ timeout: 15_000 });
      const details = await openDetails(page, 'docs');
      const [download] = await Promise.all([page.waitForEvent('download'), details.getByRole('button', { name: 'Export…' }).click()]);
      await download.saveAs(join(t.dir, 'docs.tar'));
      expect(await download.failure()).toBeNull();
      expect(download.url()).toMatch(/\/transfer\/export\?name=docs&id=[^&]+&ticket=/);
      await waitText(page.getByRole('region', { name: 'Exports and imports', exact: true }), 'Exported docs');
    } finally {
      await context.close();
      child.kill('SIGTERM');
    }
    const files = readdirSync(profile, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name));
    const history = files.find((f) => f.endsWith(join('Default', 'History')));
    expect(history, 'Chromium kept a History database').toBeDefined();
    // The search means something: History did record the host and the download.
    const historyText = readFileSync(history!, 'latin1');
    expect(historyText).toContain(`127.0.0.1:${new URL(url).port}`);
    expect(historyText).toContain('/transfer/export');
    const holding = files.filter((f) => readFileSync(f, 'latin1').includes(SECRET));
    expect(holding.filter((f) => !/[/\\]Cookies(-journal)?$/.test(f))).toEqual([]);
  });
});
