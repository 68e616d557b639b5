// Opens the app for an end-to-end spec, one of two ways with the same page in front:
// - the Electron app through Playwright's _electron.launch, where an Electron binary exists
//   (ELECTRON_OVERRIDE_DIST_PATH, or node_modules/electron/dist);
// - otherwise the browser host (dist/host.mjs) in Debian's Chromium through playwright-core.
// These build machines cannot download Electron, so here every spec takes the second way.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { electronBinary } from '../../main/shared/electron-binary.js';
import { CHROMIUM, CHROMIUM_FLAGS, hostUrl } from '../helpers/browser-host.js';
import { _electron, chromium, type Browser, type ElectronApplication, type Locator, type Page } from 'playwright-core';

const DIST = resolve(import.meta.dirname, '../../dist');
export const SCREENSHOTS = resolve(import.meta.dirname, '../../docs/screenshots');

export interface AppOptions {
  stateDir: string;
  /** Runs the host as this user (the Electron way runs as the test's user). */
  user?: string;
  /** A copy of dist/ that `user` can read, when the checkout is not readable to it. */
  dist?: string;
  pluginSocketDirs?: string[];
  /** More environment for the host (fault points of app/system/fault-points.ts). */
  env?: NodeJS.ProcessEnv;
}

export interface OpenApp {
  page: Page;
  way: 'electron' | 'browser host';
  /** What the page's Content-Security-Policy refused so far, as Chromium logged it. */
  cspRefusals: string[];
  close(): Promise<void>;
}

const electronPath = () => electronBinary().path;

export const canRunBrowser = () => existsSync(CHROMIUM) || electronPath() !== undefined;

/** The browser host as its own process, as `npm start` runs it; resolves with the address it prints. */
export function startHostProcess(o: AppOptions): Promise<{ child: ChildProcess; url: string }> {
  const dist = o.dist ?? DIST;
  const args = [join(dist, 'host.mjs'), '--port', '0', '--state-dir', o.stateDir, ...(o.pluginSocketDirs ?? []).flatMap((d) => ['--plugin-socket-dir', d])];
  const [file, ...rest] = o.user ? ['runuser', '-u', o.user, '--', process.execPath, ...args] : [process.execPath, ...args];
  const child = spawn(file!, rest, { stdio: ['ignore', 'pipe', 'pipe'], cwd: '/', env: { ...process.env, ...o.env } });
  return hostUrl(child).then((url) => ({ child, url }));
}

function refusalsOf(page: Page): string[] {
  const refused: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) refused.push(m.text());
  });
  return refused;
}

export async function openApp(o: AppOptions): Promise<OpenApp> {
  const electron = electronPath();
  if (electron && !o.user) {
    const app: ElectronApplication = await _electron.launch({ executablePath: electron, args: [resolve(DIST, '..')], env: { ...process.env, VOLUME_MANAGER_STATE_DIR: o.stateDir } as Record<string, string> });
    const page = await app.firstWindow();
    return { page, way: 'electron', cspRefusals: refusalsOf(page), close: () => app.close() };
  }
  const { child, url } = await startHostProcess(o);
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 }, colorScheme: 'light' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  const cspRefusals = refusalsOf(page);
  await page.goto(url);
  return {
    page,
    way: 'browser host',
    cspRefusals,
    async close() {
      await browser.close();
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export const row = (page: Page, name: string) => page.getByRole('row', { name, exact: true });
/** The row's primary action: Mount or Unmount, whichever the volume's state offers. */
export const rowButton = (page: Page, name: string, button: 'Mount' | 'Unmount') => row(page, name).getByRole('button', { name: button, exact: true });

/** Picks `item` ("Details", "Remove…", "Copy mountpoint", ...) from the row's ⋯ menu. */
export async function rowMenu(page: Page, name: string, item: string) {
  await row(page, name).getByRole('button', { name: `More actions for ${name}`, exact: true }).click();
  await page.getByRole('menu', { name: `Actions for ${name}` }).getByRole('menuitem', { name: item }).click();
}

/** Opens a volume's details dialog from its row's menu. */
export async function openDetails(page: Page, name: string) {
  await rowMenu(page, name, 'Details');
  return page.getByRole('dialog', { name: `Details of ${name}` });
}

/** Whether `locator`'s element has the keyboard focus. */
export const hasFocus = (locator: Locator) => locator.evaluate((el) => el === el.ownerDocument.activeElement);

/** Removes through the row's Remove… and the confirmation that names the volume. */
export async function removeThroughWindow(page: Page, name: string) {
  await rowMenu(page, name, 'Remove…');
  await page.getByRole('alertdialog', { name: `Remove ${name}?` }).getByRole('button', { name: `Remove ${name}`, exact: true }).click();
}

/** Fills and submits the create form; `fields` are label → value (checkboxes take true). */
/** `more` runs after the fields are filled, for steps a value cannot say (the folder picker). */
export async function createThroughForm(page: Page, name: string, type: string, fields: Record<string, string | true> = {}, more?: (dialog: Locator) => Promise<void>) {
  await page.getByRole('button', { name: 'Create volume' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create volume' });
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog.getByLabel('Type', { exact: true }).selectOption({ label: type });
  for (const [label, value] of Object.entries(fields)) {
    const field = dialog.getByLabel(label, { exact: true });
    if (value === true) await field.check();
    else if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
    else await field.fill(value);
  }
  await more?.(dialog);
  await dialog.getByRole('button', { name: 'Create', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  await row(page, name).waitFor();
}

/** Waits until `locator` shows `text` (a string is a substring; a RegExp is matched). */
export const waitText = (locator: Locator, text: string | RegExp, timeout = 15_000) => locator.filter({ hasText: text }).first().waitFor({ timeout });

/** Waits until the volume's status cell reads exactly `status` ("mounted", "not mounted", ...). */
export const waitStatus = (page: Page, name: string, status: string, timeout = 15_000) =>
  row(page, name).getByRole('cell').filter({ hasText: new RegExp(`^${status}$`) }).waitFor({ timeout });
