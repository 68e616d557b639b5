// Which machine the window shows: this computer, or another one it reaches over SSH (a
// connection). Switching forgets the list shown and lists the other machine whole; while
// another machine is shown its list is looked at again every few seconds, since no change
// event crosses the connection.

import { create } from 'zustand';
import type { MachineInfo } from '../../app/api/types.js';
import { asGuided, call, setMachine } from '../bridge/api.js';
import { useDrivers } from './drivers.js';
import { useErrors } from './errors.js';
import { useVolumes } from './volumes.js';

interface MachinesState {
  machines: MachineInfo[];
  /** '' for this computer. */
  current: string;
  refresh: () => Promise<void>;
  switchTo: (name: string) => Promise<void>;
  /** Adds a connection and switches to it where its session opened; the MachineInfo says how it went. */
  add: (name: string, url: string, identity?: string) => Promise<MachineInfo>;
}

export const useMachines = create<MachinesState>((set, get) => ({
  machines: [{ Name: '', State: 'this' }],
  current: '',
  async refresh() {
    try {
      set({ machines: await call('machine.list', {}) });
    } catch (err) {
      useErrors.getState().show({ error: asGuided(err), subject: 'machines' });
    }
  },
  async switchTo(name) {
    if (name === get().current) return;
    setMachine(name);
    set({ current: name });
    useVolumes.getState().reset();
    await Promise.all([useVolumes.getState().refresh(), useDrivers.getState().refresh()]);
    await get().refresh();
  },
  async add(name, url, identity) {
    const info = await call('machine.add', { name, url, ...(identity ? { identity } : {}) });
    await get().refresh();
    if (info.State === 'connected') await get().switchTo(name);
    return info;
  },
}));
