// What a window's host gives the handlers to serve the volumes to containers: the plugin server
// runs in the host's process (main/shared/plugin-server), which the handlers cannot import.

import type { ConfChange, ContainerServing, MachineInfo } from '../api/types.js';

export interface ServingControl {
  status(): Promise<ContainerServing>;
  /** Starts serving where nothing answers on the socket yet; the status after. */
  serve(): Promise<ContainerServing>;
  confChange(): Promise<ConfChange>;
  /** Writes the change only over `before`, the text that was shown. */
  confWrite(before: string): Promise<{ Path: string }>;
}

/** What a window's host gives the handlers to reach other machines (main/shared/remote/machines.ts). */
export interface MachinesControl {
  list(): Promise<MachineInfo[]>;
  add(name: string, url: string, identity?: string): Promise<MachineInfo>;
}
