// Binds the API contract to IPC: one handler per operation, each checking that the call
// comes from this app's own page before the contract's parser checks the request.

import { ipcMain, shell, type WebContents } from 'electron';
import { IPC_CHANGE, IPC_OPEN, IPC_TRANSFER, ipcChannel } from '../../app/api/bridge.js';
import { operations } from '../../app/api/contract.js';
import type { CommandLine } from '../../app/api/types.js';
import { createHandlers, dispatch } from '../../app/handlers/handlers.js';
import { Transfers } from '../../app/transfer/window-transfers.js';
import { invalidRequest, openFailed } from '../../app/errors/catalogue.js';
import type { VolumeEngine } from '../../app/volume/engine.js';
import { watchChanges } from '../shared/change-watcher.js';
import { openMountpoint } from '../shared/open-mountpoint.js';
import { WindowServing } from '../shared/plugin-server/window-serving.js';
import { Machines } from '../shared/remote/machines.js';
import { fromOurPage } from './sender.js';
import { bindTransferIpc } from './transfer-ipc.js';

/** `commandLine`: how the command line runs here, for the commands in guided errors. */
export function bindIpc(engine: VolumeEngine, page: string, target: () => WebContents | undefined, commandLine?: CommandLine): () => Promise<void> {
  const transfers = new Transfers((e) => target()?.send(IPC_TRANSFER, e));
  // The plugin server for containers runs in the main process while the window is open, once asked.
  const serving = new WindowServing(engine);
  // Other machines: the command line beside this bundle is what is copied there.
  const machines = new Machines(import.meta.dirname);
  const api = createHandlers(engine, transfers, commandLine, serving, machines);
  const unbindTransfers = bindTransferIpc(engine, transfers, page, (machine) => machines.elsewhere(machine));
  const refused = { ok: false as const, error: invalidRequest('IPC call from a page that is not the app').toJSON() };
  for (const op of operations) {
    ipcMain.handle(ipcChannel(op), (event, request: unknown, machine: unknown) => {
      if (!fromOurPage(event, page)) return refused;
      if (machine === undefined || machine === null || machine === '') return dispatch(api, op, request);
      if (typeof machine !== 'string') return { ok: false as const, error: invalidRequest('the machine is not a name').toJSON() };
      return dispatch(machines.apiFor(machine, api), op, request);
    });
  }
  ipcMain.handle(IPC_OPEN, (event, name: unknown) =>
    fromOurPage(event, page)
      ? openMountpoint(engine, name, async (path) => {
          const problem = await shell.openPath(path);
          if (problem) throw openFailed(path, problem);
        })
      : refused,
  );
  const stop = watchChanges(engine, (e) => target()?.send(IPC_CHANGE, e));
  return async () => {
    transfers.cancelAll();
    unbindTransfers();
    stop();
    for (const op of operations) ipcMain.removeHandler(ipcChannel(op));
    ipcMain.removeHandler(IPC_OPEN);
    await serving.close();
    await machines.close();
  };
}
