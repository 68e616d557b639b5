// Binds the API contract to IPC: one handler per operation, each checking that the call
// comes from this app's own page before the contract's parser checks the request.

import { ipcMain, shell, type WebContents } from 'electron';
import { IPC_CHANGE, IPC_OPEN, ipcChannel } from '../../app/api/bridge.js';
import { operations } from '../../app/api/contract.js';
import { createHandlers, dispatch } from '../../app/handlers/handlers.js';
import { invalidRequest } from '../../app/errors/catalogue.js';
import type { VolumeEngine } from '../../app/volume/engine.js';
import { watchChanges } from '../shared/change-watcher.js';
import { openMountpoint } from '../shared/open-mountpoint.js';
import { fromOurPage } from './sender.js';

export function bindIpc(engine: VolumeEngine, page: string, target: () => WebContents | undefined): () => void {
  const api = createHandlers(engine);
  const refused = { ok: false as const, error: invalidRequest('IPC call from a page that is not the app').toJSON() };
  for (const op of operations) {
    ipcMain.handle(ipcChannel(op), (event, request: unknown) => (fromOurPage(event, page) ? dispatch(api, op, request) : refused));
  }
  ipcMain.handle(IPC_OPEN, (event, name: unknown) =>
    fromOurPage(event, page)
      ? openMountpoint(engine, name, async (path) => {
          const problem = await shell.openPath(path);
          if (problem) throw new Error(problem);
        })
      : refused,
  );
  const stop = watchChanges(engine, (e) => target()?.send(IPC_CHANGE, e));
  return () => {
    stop();
    for (const op of operations) ipcMain.removeHandler(ipcChannel(op));
    ipcMain.removeHandler(IPC_OPEN);
  };
}
