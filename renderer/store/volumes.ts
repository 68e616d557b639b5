// Volumes: the list as the engine last reported it, what is in flight per volume, the
// selection, and the actions. Every action ends in a refresh: the engine is the truth.

import { create } from 'zustand';
import type { BatchItem, VolumeInspect } from '../../app/api/types.js';
import { asGuided, call, currentMachine } from '../bridge/api.js';
import { mountSaid, planMount, planUnmount, unmountSaid } from '../lib/batch-plan.js';
import { useErrors } from './errors.js';
import { useNotices } from './notices.js';

export type Busy = 'mounting' | 'unmounting' | 'removing';

interface VolumesState {
  volumes: VolumeInspect[];
  loaded: boolean;
  /** The last list failed (its error is shown): what is shown may not be what there is. */
  failed: boolean;
  busy: Record<string, Busy>;
  selected: Set<string>;
  /**
   * Brings the list up to date by what changed since the last answer (volume.changes).
   * `fresh`: look again even if the store and the mount table did not move (space used, a
   * plugin's state); the Refresh button and the space-used poll ask for it.
   */
  refresh: (fresh?: boolean) => Promise<void>;
  /** Forgets the list shown (another machine is shown next); the next refresh lists it whole. */
  reset: () => void;
  toggle: (name: string, on?: boolean) => void;
  selectOnly: (names: string[]) => void;
  mount: (names: string[]) => Promise<void>;
  unmount: (names: string[], force?: boolean) => Promise<void>;
  /** Mount selected: only those that need it, and a notice of what was done to each. */
  mountSelected: () => Promise<void>;
  /** Unmount selected: only those mounted, and a notice of what was done to each. */
  unmountSelected: () => Promise<void>;
  /** Removes `names` (after the confirmation that named them); returns each outcome. */
  remove: (names: string[], force?: boolean) => Promise<BatchItem<unknown>[]>;
}

/** What a failed list is said about: the list, of the machine shown. */
const listSubject = () => (currentMachine() ? `volume list of ${currentMachine()}` : 'volume list');

/** `list` with `changed` put in (by name) and `removed` taken out; the table sorts it. */
function merged(list: VolumeInspect[], changed: VolumeInspect[], removed: string[]): VolumeInspect[] {
  const byName = new Map(list.map((v) => [v.Name, v]));
  for (const n of removed) byName.delete(n);
  for (const v of changed) byName.set(v.Name, v);
  return [...byName.values()];
}

export const useVolumes = create<VolumesState>((set, get) => {
  const showFailures = <T>(items: BatchItem<T>[], retry: (names: string[]) => void) => {
    for (const item of items) {
      if (!item.ok) useErrors.getState().show({ error: item.error!, subject: item.name, volume: item.name, retry: () => retry([item.name]) });
    }
  };
  /** Marks `names` busy while `run` goes, shows the failures, then refreshes. */
  const batch = async <T>(names: string[], busy: Busy, run: () => Promise<BatchItem<T>[]>, retry: (names: string[]) => void): Promise<BatchItem<T>[]> => {
    set((s) => ({ busy: { ...s.busy, ...Object.fromEntries(names.map((n) => [n, busy])) } }));
    try {
      const items = await run();
      showFailures(items, retry);
      return items;
    } catch (err) {
      const error = asGuided(err);
      useErrors.getState().show({ error, subject: names.join(', '), retry: () => retry(names) });
      return names.map((name) => ({ name, ok: false, error }));
    } finally {
      set((s) => {
        const next = { ...s.busy };
        for (const n of names) delete next[n];
        return { busy: next };
      });
      await get().refresh();
    }
  };
  // Events can start refreshes faster than lists answer; only the latest one may land, or a
  // list read before an umount could overwrite the list read after it.
  let latest = 0;
  /** The Mark of the list shown, which the next refresh asks the changes since. */
  let mark: string | undefined;
  return {
    volumes: [],
    loaded: false,
    failed: false,
    busy: {},
    selected: new Set(),
    async refresh(fresh = false) {
      const ticket = ++latest;
      try {
        const changes = await call('volume.changes', { ...(mark ? { since: mark } : {}), ...(fresh ? { fresh } : {}) });
        if (ticket !== latest) return;
        // A machine that did not answer the last time does again: what was said of it goes.
        if (get().failed) useErrors.getState().settle(listSubject());
        mark = changes.Mark;
        if (!changes.Full && changes.Volumes.length === 0 && changes.Removed.length === 0) {
          if (!get().loaded || get().failed) set({ loaded: true, failed: false });
          return;
        }
        set((s) => {
          const volumes = changes.Full ? changes.Volumes : merged(s.volumes, changes.Volumes, changes.Removed);
          const names = new Set(volumes.map((v) => v.Name));
          return { volumes, loaded: true, failed: false, selected: new Set([...s.selected].filter((n) => names.has(n))) };
        });
      } catch (err) {
        if (ticket !== latest) return;
        useErrors.getState().show({ error: asGuided(err), subject: listSubject(), retry: () => void get().refresh(true) });
        set({ loaded: true, failed: true });
      }
    },
    reset() {
      latest++;
      mark = undefined;
      set({ volumes: [], loaded: false, failed: false, busy: {}, selected: new Set() });
    },
    toggle(name, on) {
      set((s) => {
        const selected = new Set(s.selected);
        if (on ?? !selected.has(name)) selected.add(name);
        else selected.delete(name);
        return { selected };
      });
    },
    selectOnly: (names) => set({ selected: new Set(names) }),
    mount: async (names) => void (await batch(names, 'mounting', () => call('volume.mount', { names }), (n) => void get().mount(n))),
    unmount: async (names, force = false) => void (await batch(names, 'unmounting', () => call('volume.unmount', { names, force }), (n) => void get().unmount(n, force))),
    async mountSelected() {
      const plan = planMount(get().volumes.filter((v) => get().selected.has(v.Name)));
      const items = plan.run.length ? await batch(plan.run, 'mounting', () => call('volume.mount', { names: plan.run }), (n) => void get().mount(n)) : [];
      for (const line of mountSaid(plan, items)) useNotices.getState().say(line);
    },
    async unmountSelected() {
      const plan = planUnmount(get().volumes.filter((v) => get().selected.has(v.Name)));
      const items = plan.run.length ? await batch(plan.run, 'unmounting', () => call('volume.unmount', { names: plan.run, force: false }), (n) => void get().unmount(n)) : [];
      for (const line of unmountSaid(plan, items)) useNotices.getState().say(line);
    },
    remove: (names, force = false) => batch(names, 'removing', () => call('volume.remove', { names, force }), (n) => void get().remove(n, force)),
  };
});
