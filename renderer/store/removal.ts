// Removing volumes from the window always goes through a confirmation that names each volume
// and what goes with it (volume.contents counts a plain directory's files), and ends in a
// notice of what was removed and what was not. Prune asks about the very names it shows:
// it removes those, not whatever is unused by the time the person answers.

import { create } from 'zustand';
import type { VolumeContents } from '../../app/api/types.js';
import { asGuided, call } from '../bridge/api.js';
import { useErrors } from './errors.js';
import { useNotices } from './notices.js';
import { useVolumes } from './volumes.js';

export interface Asking {
  names: string[];
  /** null while the files are counted. */
  contents: VolumeContents[] | null;
  prune: boolean;
}

interface RemovalState {
  asking: Asking | null;
  ask: (names: string[], prune?: boolean) => void;
  confirm: () => Promise<void>;
  cancel: () => void;
}

export const useRemoval = create<RemovalState>((set, get) => ({
  asking: null,
  ask(names, prune = false) {
    set({ asking: { names, contents: null, prune } });
    if (names.length === 0) return;
    call('volume.contents', { names }).then(
      (contents) => set((s) => (s.asking?.names === names ? { asking: { ...s.asking, contents } } : s)),
      (err) => {
        set({ asking: null });
        useErrors.getState().show({ error: asGuided(err), subject: names.join(', ') });
      },
    );
  },
  async confirm() {
    const asking = get().asking;
    set({ asking: null });
    if (!asking || asking.names.length === 0) return;
    // Forced, as the question said: a volume whose plugin is gone can only be forgotten, and a
    // mounted one is unmounted first. The others are removed plainly: a forced remove would
    // unmount one that was mounted meanwhile, which the question did not say.
    const forced = new Set(asking.contents?.filter((c) => c.Loses === 'record' || c.MountCount).map((c) => c.Name));
    const { remove } = useVolumes.getState();
    const rest = asking.names.filter((n) => !forced.has(n));
    const items = [...(rest.length ? await remove(rest) : []), ...(forced.size ? await remove([...forced], true) : [])];
    const removed = items.filter((i) => i.ok).map((i) => i.name);
    useErrors.getState().forget(removed);
    const failed = items.filter((i) => !i.ok).map((i) => i.name);
    const { say } = useNotices.getState();
    if (removed.length) say(`Removed: ${removed.join(', ')}.`);
    if (failed.length) say(`Not removed: ${failed.join(', ')} (the reasons are shown with the problems).`);
  },
  cancel: () => set({ asking: null }),
}));
