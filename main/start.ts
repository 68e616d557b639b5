// `npm start`: the Electron app where Electron's binary is here; otherwise the same window
// from the browser host, with the reason said first.

import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { electronBinary } from './shared/electron-binary.js';

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
