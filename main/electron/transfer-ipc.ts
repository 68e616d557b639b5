// Export and import in Electron: the main process asks where to save with the native dialog
// (the page never names a path to write), and takes the file the person picked in the native
// open dialog of the page's file input. Progress and the end go to the page as transfer events.

import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { isAbsolute } from 'node:path';
import { IPC_EXPORT, IPC_IMPORT } from '../../app/api/bridge.js';
import { importRequest, transferRequest } from '../../app/api/parsers.js';
import { invalidRequest } from '../../app/errors/catalogue.js';
import { toGuided } from '../../app/errors/guided-error.js';
import type { Transfers } from '../../app/handlers/transfers.js';
import { exportToFile, importFromFile } from '../../app/transfer/archive-files.js';
import type { VolumeEngine } from '../../app/volume/engine.js';
import { fromOurPage } from './sender.js';

const refusedSender = () => ({ ok: false as const, error: invalidRequest('IPC call from a page that is not the app').toJSON() });
const asEnvelope = (err: unknown) => ({ ok: false as const, error: toGuided(err, 'INVALID_REQUEST').toJSON() });

export function bindTransferIpc(engine: VolumeEngine, transfers: Transfers, page: string): () => void {
  ipcMain.handle(IPC_EXPORT, async (event: IpcMainInvokeEvent, raw: unknown) => {
    if (!fromOurPage(event, page)) return refusedSender();
    try {
      const { name, id } = transferRequest(raw, 'export');
      const owner = BrowserWindow.fromWebContents(event.sender as WebContents);
      const options = { title: `Export ${name}`, defaultPath: `${name}.tar`, filters: [{ name: 'Tar archives', extensions: ['tar'] }], properties: ['createDirectory' as const, 'showOverwriteConfirmation' as const] };
      const chosen = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
      if (chosen.canceled || !chosen.filePath) return { ok: true, value: null };
      // The dialog asked before an existing file was chosen.
      return await transfers.run(id, name, 'export', (hooks) => exportToFile(engine, name, chosen.filePath!, { ...hooks, overwrite: true }));
    } catch (err) {
      return asEnvelope(err);
    }
  });
  ipcMain.handle(IPC_IMPORT, async (event: IpcMainInvokeEvent, raw: unknown) => {
    if (!fromOurPage(event, page)) return refusedSender();
    try {
      const { path, ...rest } = (typeof raw === 'object' && raw !== null ? raw : {}) as { path?: unknown };
      const { name, id, replace } = importRequest(rest, 'import');
      if (typeof path !== 'string' || !isAbsolute(path)) throw invalidRequest('import: the file input gave no absolute path');
      return await transfers.run(id, name, 'import', (hooks) => importFromFile(engine, name, path, { ...hooks, replace }));
    } catch (err) {
      return asEnvelope(err);
    }
  });
  return () => {
    ipcMain.removeHandler(IPC_EXPORT);
    ipcMain.removeHandler(IPC_IMPORT);
  };
}
