// `npm start`: the Electron app where Electron's binary is here; otherwise the same window
// from the browser host, with the reason said first.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/** The Electron binary if one is installed or pointed to; never downloads one. */
function electronBinary(): { path?: string; why: string } {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const path = join(override, 'electron');
    return existsSync(path) ? { path, why: '' } : { why: `ELECTRON_OVERRIDE_DIST_PATH=${override} has no electron binary` };
  }
  try {
    const pkg = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const rel = existsSync(join(pkg, 'path.txt')) ? readFileSync(join(pkg, 'path.txt'), 'utf8').trim() : '';
    const path = rel && join(pkg, 'dist', rel);
    if (path && existsSync(path)) return { path, why: '' };
    return { why: "the electron package is installed but its binary was never downloaded (this machine cannot download it; set ELECTRON_OVERRIDE_DIST_PATH to a local Electron's directory)" };
  } catch {
    return { why: 'the electron package is not installed (npm ci installs it as a development dependency)' };
  }
}

const here = import.meta.dirname;
const bin = electronBinary();
const args = process.argv.slice(2);
if (bin.path && !process.env.VOLUME_MANAGER_BROWSER_HOST) {
  const child = spawn(bin.path, [resolve(here, '..'), ...args], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(`Electron is not available: ${bin.why || 'VOLUME_MANAGER_BROWSER_HOST is set'}.`);
  console.log('Serving the same window from the browser host instead.');
  await import(resolve(here, 'host.mjs'));
}
