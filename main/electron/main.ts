// The Electron main process: one window, one engine over the shared store (electron-store),
// IPC bound from the contract. A second launch focuses the first window.

import { join } from 'node:path';
import { app, BrowserWindow } from 'electron';
import { defaultLocations } from '../../app/plugin-client/locations.js';
import { defaultStateDir } from '../../app/state/layout.js';
import { VolumeEngine } from '../../app/volume/engine.js';
import { commandLine } from '../shared/command-line.js';
import { bindIpc } from './ipc.js';
import { electronStoreBackend } from './store-backend.js';
import { createWindow, pageUrl } from './window.js';

if (!app.requestSingleInstanceLock()) app.quit();
else {
  let win: BrowserWindow | undefined;
  app.on('second-instance', () => {
    if (win?.isMinimized()) win.restore();
    win?.focus();
  });
  app.whenReady().then(async () => {
    const stateDir = process.env.VOLUME_MANAGER_STATE_DIR || defaultStateDir();
    // At login the command line beside this bundle runs under Electron's own Node.
    const cli = join(import.meta.dirname, 'cli.cjs');
    const autostart = { exec: ['/usr/bin/env', 'ELECTRON_RUN_AS_NODE=1', process.execPath, cli, '--state-dir', stateDir, 'volume', 'restore', '--notify'] };
    const engine = new VolumeEngine({ stateDir, plugins: defaultLocations(), backend: electronStoreBackend, autostart });
    await engine.reconcile();
    const unbind = bindIpc(engine, pageUrl(import.meta.dirname), () => win?.webContents, commandLine(autostart.exec.slice(1, 4), stateDir));
    win = createWindow(import.meta.dirname);
    app.on('window-all-closed', () => {
      // The plugin server removes its socket before the process ends.
      void unbind().finally(() => {
        engine.close();
        app.quit();
      });
    });
  });
}
