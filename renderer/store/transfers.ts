// The window's exports and imports as the host reports them, by id: what the transfers
// panel shows (bytes, rate, time left, cancel) and what asks before a volume is replaced.
// One that ended well or was cancelled says so in its row for NOTICE_MS, then leaves it for
// the history; a failed one stays with its error until dismissed.

import { create } from 'zustand';
import type { TransferEvent } from '../../app/api/types.js';
import type { GuidedErrorData } from '../../app/errors/guided-error.js';
import { asGuided, bridge, call, currentMachine } from '../bridge/api.js';
import { formatBytes } from '../../app/api/bytes.js';
import { useErrors } from './errors.js';
import { useNotices, whenRead } from './notices.js';
import { useVolumes } from './volumes.js';

export interface Transfer extends TransferEvent {
  startedAt: number;
}

/** A volume that holds files, waiting for the person to say whether the archive replaces them. */
export interface PendingReplace {
  name: string;
  file: File;
  error: GuidedErrorData;
}

interface TransfersState {
  transfers: Record<string, Transfer>;
  pendingReplace: PendingReplace | null;
  /** Applies a host event; called for every event of every transfer. */
  take: (e: TransferEvent) => void;
  exportVolume: (name: string) => Promise<void>;
  importVolume: (name: string, file: File, replace?: boolean) => Promise<void>;
  answerReplace: (replace: boolean) => void;
  cancel: (id: string) => Promise<void>;
  dismiss: (id: string) => void;
}

const newId = () => Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');

export const useTransfers = create<TransfersState>((set, get) => {
  const starting = (id: string, name: string, op: TransferEvent['Op']) =>
    set((s) => ({ transfers: { ...s.transfers, [id]: { Id: id, Name: name, Op: op, State: 'running', Progress: { Bytes: 0 }, startedAt: Date.now() } } }));
  const failed = (id: string, name: string, error: GuidedErrorData, retry: () => void) => {
    // A cancel is the person's own doing: the panel says it, no error box is needed.
    if (error.code === 'TRANSFER_CANCELLED') return;
    // The row says why, where the person started it (the details of the volume, which are
    // modal); the error region keeps the steps and Try again for when they are closed.
    set((s) => {
      const row = s.transfers[id];
      return row ? { transfers: { ...s.transfers, [id]: { ...row, State: 'failed', Error: error } } } : s;
    });
    useErrors.getState().show({ error, subject: name, volume: name, retry });
  };
  const ended = (e: TransferEvent) => {
    const text = e.State === 'done' ? `${e.Op === 'export' ? 'Exported' : 'Imported'} ${e.Name} (${formatBytes(e.Progress.Bytes)}).` : `${e.Op === 'export' ? 'Export of' : 'Import into'} ${e.Name} cancelled.`;
    useNotices.getState().record(text, 'done');
    whenRead(() => get().dismiss(e.Id));
  };
  return {
    transfers: {},
    pendingReplace: null,
    take(e) {
      const before = get().transfers[e.Id];
      // A transfer the person dismissed stays gone, whatever event of it comes late.
      if (!before && e.State !== 'running') return;
      set((s) => ({ transfers: { ...s.transfers, [e.Id]: { ...e, startedAt: before?.startedAt ?? Date.now(), ...(before?.Error && !e.Error ? { Error: before.Error } : {}) } } }));
      if (before?.State === 'running' && (e.State === 'done' || e.State === 'cancelled')) ended(e);
    },
    async exportVolume(name) {
      const id = newId();
      starting(id, name, 'export');
      try {
        const env = await bridge.exportVolume({ name, id }, currentMachine() || undefined);
        if (!env.ok) failed(id, name, env.error, () => void get().exportVolume(name));
        else if (env.value === null) get().dismiss(id);
      } catch (err) {
        failed(id, name, asGuided(err), () => void get().exportVolume(name));
      }
      await useVolumes.getState().refresh(true);
    },
    async importVolume(name, file, replace = false) {
      const id = newId();
      starting(id, name, 'import');
      try {
        const env = await bridge.importVolume({ name, id, replace }, file, currentMachine() || undefined);
        if (!env.ok && env.error.code === 'VOLUME_NOT_EMPTY') {
          get().dismiss(id);
          set({ pendingReplace: { name, file, error: env.error } });
        } else if (!env.ok) failed(id, name, env.error, () => void get().importVolume(name, file, replace));
      } catch (err) {
        failed(id, name, asGuided(err), () => void get().importVolume(name, file, replace));
      }
      await useVolumes.getState().refresh(true);
    },
    answerReplace(replace) {
      const pending = get().pendingReplace;
      set({ pendingReplace: null });
      if (pending && replace) void get().importVolume(pending.name, pending.file, true);
    },
    async cancel(id) {
      try {
        await call('transfer.cancel', { id });
      } catch (err) {
        useErrors.getState().show({ error: asGuided(err), subject: 'cancel' });
      }
    },
    dismiss(id) {
      set((s) => {
        const next = { ...s.transfers };
        delete next[id];
        return { transfers: next };
      });
    },
  };
});
