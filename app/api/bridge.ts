// What a page sees of the app, whichever host serves it: the preload's contextBridge object
// in Electron and the HTTP/WebSocket client of the browser host implement this one type.
// Calls return envelopes (errors travel as data), built from the contract's operation list,
// so an operation added to the contract reaches every page with no change here.

import type { Envelope, ImportRequest, Operation, RequestOf, ResponseOf, TransferRequest } from './contract.js';
import type { ExportOutcome, ImportOutcome, TransferEvent } from './types.js';

/** `machine`: a connection's name, for the same call on that machine's engine; none for this computer. */
export type BridgeCalls = { [K in Operation]: (request: RequestOf<K>, machine?: string) => Promise<Envelope<ResponseOf<K>>> };

/** Pushed by the host when the store file or the mount table changed under the page. */
export interface ChangeEvent {
  /** `drivers`: a plugin's socket, spec or containers.conf appeared, went or changed. */
  what: 'state' | 'mounts' | 'drivers';
}

/** What the browser host's event socket carries: changes, and the window's transfers. */
export type HostMessage = ChangeEvent | { what: 'transfer'; transfer: TransferEvent };

export interface VolumeManagerBridge {
  calls: BridgeCalls;
  /** Subscribes to changes; returns the unsubscribe function. */
  onChange(listener: (event: ChangeEvent) => void): () => void;
  /** Opens a volume's mountpoint in the desktop's file manager, on the machine the host runs on. */
  openMountpoint(name: string): Promise<Envelope<null>>;
  /**
   * Exports a volume to a file the person picks: Electron's native save dialog, or the
   * browser's download. Resolves at the end (null: the dialog was closed); progress and the
   * end also arrive through onTransfer, under the request's id. `machine`: a connection's
   * name, for a volume of that machine; none for this computer's.
   */
  exportVolume(request: TransferRequest, machine?: string): Promise<Envelope<ExportOutcome | null>>;
  /** Imports `file` (from a file input: the native open dialog in Electron), streamed. */
  importVolume(request: ImportRequest, file: File, machine?: string): Promise<Envelope<ImportOutcome>>;
  onTransfer(listener: (event: TransferEvent) => void): () => void;
  /** 'electron' or 'browser host': what the page runs in, shown in the title bar. */
  host: 'electron' | 'browser';
}

/** Electron IPC channel names, derived from the contract. */
export const ipcChannel = (op: Operation) => `volume-manager:${op}`;
export const IPC_CHANGE = 'volume-manager:changed';
export const IPC_OPEN = 'volume-manager:open';
export const IPC_EXPORT = 'volume-manager:export';
export const IPC_IMPORT = 'volume-manager:import';
export const IPC_TRANSFER = 'volume-manager:transfer';

/**
 * The browser host's routes for the bytes of a transfer. A download cannot send headers, so
 * an export's address carries a single-use ticket from DOWNLOAD_TICKET_ROUTE, never the secret.
 */
export const EXPORT_ROUTE = '/transfer/export';
export const IMPORT_ROUTE = '/transfer/import';
export const DOWNLOAD_TICKET_ROUTE = '/host/download-ticket';

/** The global name under which the preload exposes the bridge. */
export const BRIDGE_GLOBAL = 'volumeManager';
