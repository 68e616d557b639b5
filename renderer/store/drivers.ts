// The drivers: local and every plugin found, as the engine last reported them. The host says
// when a plugin's socket or spec appears or goes, and the list is asked again; an error about a
// plugin that did not answer goes once the plugin answers again.

import { create } from 'zustand';
import type { DriverInfo } from '../../app/api/types.js';
import { asGuided, call } from '../bridge/api.js';
import { useErrors } from './errors.js';
import { useVolumes } from './volumes.js';

const ABOUT_A_PLUGIN = new Set(['PLUGIN_MISSING', 'PLUGIN_NOT_ANSWERING']);

interface DriversState {
  drivers: DriverInfo[];
  /** Where plugins are looked for, asked once: said when none is found. */
  places: string[] | null;
  refresh: () => Promise<void>;
  findPlaces: () => Promise<void>;
}

export const useDrivers = create<DriversState>((set, get) => ({
  drivers: [],
  places: null,
  async refresh() {
    try {
      const drivers = await call('driver.list', {});
      set({ drivers });
      const answering = new Set(drivers.filter((d) => d.Answers).map((d) => d.Name));
      const driverOf = new Map(useVolumes.getState().volumes.map((v) => [v.Name, v.Driver]));
      useErrors.getState().drop((e) => ABOUT_A_PLUGIN.has(e.error.code) && e.volume !== undefined && answering.has(driverOf.get(e.volume) ?? ''));
    } catch (err) {
      useErrors.getState().show({ error: asGuided(err), subject: 'drivers', retry: () => void get().refresh() });
    }
  },
  async findPlaces() {
    if (get().places) return;
    try {
      set({ places: await call('driver.places', {}) });
    } catch {
      /* the form says only that none was found */
    }
  },
}));
