// What a page sees of the app, whichever host serves it: the preload's contextBridge object
// in Electron and the HTTP/WebSocket client of the browser host implement this one type.
// Calls return envelopes (errors travel as data), built from the contract's operation list,
// so an operation added to the contract reaches every page with no change here.

import type { Envelope, Operation, RequestOf, ResponseOf } from './contract.js';

export type BridgeCalls = { [K in Operation]: (request: RequestOf<K>) => Promise<Envelope<ResponseOf<K>>> };

/** Pushed by the host when the store file or the mount table changed under the page. */
export interface ChangeEvent {
  what: 'state' | 'mounts';
}

export interface VolumeManagerBridge {
  calls: BridgeCalls;
  /** Subscribes to changes; returns the unsubscribe function. */
  onChange(listener: (event: ChangeEvent) => void): () => void;
  /** Opens a volume's mountpoint in the desktop's file manager, on the machine the host runs on. */
  openMountpoint(name: string): Promise<Envelope<null>>;
  /** 'electron' or 'browser host': what the page runs in, shown in the title bar. */
  host: 'electron' | 'browser';
}

/** Electron IPC channel names, derived from the contract. */
export const ipcChannel = (op: Operation) => `volume-manager:${op}`;
export const IPC_CHANGE = 'volume-manager:changed';
export const IPC_OPEN = 'volume-manager:open';

/** The global name under which the preload exposes the bridge. */
export const BRIDGE_GLOBAL = 'volumeManager';
