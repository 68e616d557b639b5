// How the command line runs where the engine runs (app.commandLine), asked once at the start:
// the commands in guided errors are shown that way, so they work when pasted.

import { create } from 'zustand';
import type { CommandLine } from '../../app/api/types.js';
import { call } from '../bridge/api.js';

export const useCommandLine = create<{ here: CommandLine | null; learn: () => Promise<void> }>((set) => ({
  here: null,
  async learn() {
    try {
      set({ here: await call('app.commandLine', {}) });
    } catch {
      // Refused (a page without the token): the catalogue's own `volume-manager` stays, and
      // the list's refusal already says why.
    }
  },
}));
