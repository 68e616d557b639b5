// Force unmount asks first while processes work inside the volume (or containers hold it),
// naming them: a forced unmount detaches it under them. With nobody inside, nothing is lost
// and it goes at once. `then` runs once it is confirmed (an error panel takes itself away).

import { create } from 'zustand';
import { asGuided, call } from '../bridge/api.js';
import { usedByOf } from '../lib/volume-facts.js';
import { useErrors } from './errors.js';
import { useVolumes } from './volumes.js';

export interface ForceAsking {
  name: string;
  /** The processes and containers inside it, in words. */
  inside: string[];
  then?: () => void;
}

interface ForceUnmountState {
  asking: ForceAsking | null;
  ask: (name: string, then?: () => void) => Promise<void>;
  confirm: () => Promise<void>;
  cancel: () => void;
}

export const useForceUnmount = create<ForceUnmountState>((set, get) => {
  const go = (name: string, then?: () => void) => {
    then?.();
    return useVolumes.getState().unmount([name], true);
  };
  return {
    asking: null,
    async ask(name, then) {
      let holders: string[];
      try {
        holders = (await call('volume.contents', { names: [name] }))[0]?.Holders ?? [];
      } catch (err) {
        useErrors.getState().show({ error: asGuided(err), subject: name, volume: name });
        return;
      }
      const containers = usedByOf(useVolumes.getState().volumes.find((v) => v.Name === name)?.UsedBy);
      const inside = [...holders, ...(containers ? [containers] : [])];
      if (inside.length === 0) return go(name, then);
      set({ asking: { name, inside, ...(then ? { then } : {}) } });
    },
    async confirm() {
      const asking = get().asking;
      set({ asking: null });
      if (asking) await go(asking.name, asking.then);
    },
    cancel: () => set({ asking: null }),
  };
});
