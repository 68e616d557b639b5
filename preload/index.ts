// Exposes exactly the typed bridge to the page, built from the contract's operation list:
// one invoke per operation, the change subscription, "open in the file manager", and the
// window's exports and imports.

import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { BRIDGE_GLOBAL, IPC_CHANGE, IPC_EXPORT, IPC_IMPORT, IPC_OPEN, IPC_TRANSFER, ipcChannel, type BridgeCalls, type ChangeEvent, type VolumeManagerBridge } from '../app/api/bridge.js';
import type { TransferEvent } from '../app/api/types.js';
import { operations } from '../app/api/contract.js';

const calls = Object.fromEntries(operations.map((op) => [op, (request: unknown, machine?: string) => ipcRenderer.invoke(ipcChannel(op), request, machine)])) as BridgeCalls;

const bridge: VolumeManagerBridge = {
  host: 'electron',
  calls,
  onChange(listener) {
    const wrapped = (_e: unknown, event: ChangeEvent) => listener(event);
    ipcRenderer.on(IPC_CHANGE, wrapped);
    return () => void ipcRenderer.removeListener(IPC_CHANGE, wrapped);
  },
  openMountpoint: (name) => ipcRenderer.invoke(IPC_OPEN, name),
  onTransfer(listener) {
    const wrapped = (_e: unknown, event: TransferEvent) => listener(event);
    ipcRenderer.on(IPC_TRANSFER, wrapped);
    return () => void ipcRenderer.removeListener(IPC_TRANSFER, wrapped);
  },
  // The main process shows the native save dialog; the page never names a path.
  exportVolume: (request, machine) => ipcRenderer.invoke(IPC_EXPORT, request, machine),
  // The file input is the native open dialog; its path is what the person picked there.
  importVolume: (request, file, machine) => ipcRenderer.invoke(IPC_IMPORT, { ...request, path: webUtils.getPathForFile(file) }, machine),
};

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
