// Export and import in Electron: the main process asks where to save with the native dialog
// (the page never names a path to write), and takes the file the person picked in the native
// open dialog of the page's file input. Progress and the end go to the page as transfer events.

import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { isAbsolute } from 'node:path';
import { IPC_EXPORT, IPC_IMPORT } from '../../app/api/bridge.js';
import { invalidRequest } from '../../app/errors/catalogue.js';
import type { Transfers } from '../../app/transfer/window-transfers.js';
import { dispatchExport, dispatchImport, type ElsewhereTransfers } from '../../app/transfer/dispatch.js';
import type { VolumeEngine } from '../../app/volume/engine.js';
import { fromOurPage } from './sender.js';

const refusedSender = () => ({ ok: false as const, error: invalidRequest('IPC call from a page that is not the app').toJSON() });

/** `elsewhere`: another machine's transfers, by the connection's name the page gave (machines.ts). */
export function bindTransferIpc(engine: VolumeEngine, transfers: Transfers, page: string, elsewhere?: (machine: string) => ElsewhereTransfers): () => void {
  const there = (machine: unknown) => (typeof machine === 'string' && machine && elsewhere ? elsewhere(machine) : undefined);
  ipcMain.handle(IPC_EXPORT, async (event: IpcMainInvokeEvent, raw: unknown, machine: unknown) => {
    if (!fromOurPage(event, page)) return refusedSender();
    return dispatchExport(engine, transfers.run, raw, async ({ name }) => {
      const owner = BrowserWindow.fromWebContents(event.sender as WebContents);
      const options = { title: `Export ${name}`, defaultPath: `${name}.tar`, filters: [{ name: 'Tar archives', extensions: ['tar'] }], properties: ['createDirectory' as const, 'showOverwriteConfirmation' as const] };
      const chosen = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
      // The dialog asked before an existing file was chosen.
      return chosen.canceled || !chosen.filePath ? null : { file: chosen.filePath, overwrite: true };
    }, there(machine));
  });
  ipcMain.handle(IPC_IMPORT, async (event: IpcMainInvokeEvent, raw: unknown, machine: unknown) => {
    if (!fromOurPage(event, page)) return refusedSender();
    // The page's file input names the file it picked; everything else is the contract's request.
    const { path, ...rest } = (typeof raw === 'object' && raw !== null ? raw : {}) as { path?: unknown };
    return dispatchImport(engine, transfers.run, rest, () => {
      if (typeof path !== 'string' || !isAbsolute(path)) throw invalidRequest('import: the file input gave no absolute path');
      return { file: path };
    }, there(machine));
  });
  return () => {
    ipcMain.removeHandler(IPC_EXPORT);
    ipcMain.removeHandler(IPC_IMPORT);
  };
}
