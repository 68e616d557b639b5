// The drivers: local and every plugin found, as the engine last reported them.

import { create } from 'zustand';
import type { DriverInfo } from '../../app/api/types.js';
import { asGuided, call } from '../bridge/api.js';
import { useErrors } from './errors.js';

interface DriversState {
  drivers: DriverInfo[];
  refresh: () => Promise<void>;
}

export const useDrivers = create<DriversState>((set, get) => ({
  drivers: [],
  async refresh() {
    try {
      set({ drivers: await call('driver.list', {}) });
    } catch (err) {
      useErrors.getState().show({ error: asGuided(err), subject: 'drivers', retry: () => void get().refresh() });
    }
  },
}));
