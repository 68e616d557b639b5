// `npm run dist`: electron-builder, where Electron can be downloaded. Here it says why not.

import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { electronBinary } from './shared/electron-binary.js';

const electron = electronBinary();
if (!electron.path) {
  console.error(`npm run dist needs Electron: ${electron.why}.`);
  console.error('electron-builder downloads the Electron build it packages, and this machine');
  console.error('reaches only the npm and Debian registries. Run it where Electron can be downloaded (npx install-electron),');
  console.error('or set ELECTRON_OVERRIDE_DIST_PATH and electronDist in electron-builder.yml to a local Electron build.');
  process.exit(1);
}
const r = spawnSync(resolve(import.meta.dirname, '../node_modules/.bin/electron-builder'), ['--linux', '--config', 'electron-builder.yml'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
