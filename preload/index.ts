// Exposes exactly the typed bridge to the page, built from the contract's operation list:
// one invoke per operation, the change subscription, and "open in the file manager".

import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_GLOBAL, IPC_CHANGE, IPC_OPEN, ipcChannel, type BridgeCalls, type ChangeEvent, type VolumeManagerBridge } from '../app/api/bridge.js';
import { operations } from '../app/api/contract.js';

const calls = Object.fromEntries(operations.map((op) => [op, (request: unknown) => ipcRenderer.invoke(ipcChannel(op), request)])) as BridgeCalls;

const bridge: VolumeManagerBridge = {
  host: 'electron',
  calls,
  onChange(listener) {
    const wrapped = (_e: unknown, event: ChangeEvent) => listener(event);
    ipcRenderer.on(IPC_CHANGE, wrapped);
    return () => void ipcRenderer.removeListener(IPC_CHANGE, wrapped);
  },
  openMountpoint: (name) => ipcRenderer.invoke(IPC_OPEN, name),
};

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
