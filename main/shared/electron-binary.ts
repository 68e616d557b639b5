// Where the Electron binary is, if anywhere, found the way the electron package finds it
// (ELECTRON_OVERRIDE_DIST_PATH, else dist/ under the package, named by its path.txt) but
// without its fallback of downloading one: `npm start`, `npm run dist` and the e2e specs
// must say why Electron is missing, not hang on a download these machines cannot make.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface ElectronBinary {
  /** Absent when there is no binary to run; `why` says what is missing. */
  path?: string;
  why: string;
}

export function electronBinary(): ElectronBinary {
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
