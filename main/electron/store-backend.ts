// The app's store backend: electron-store over the same file as the command line's conf
// (same directory, same name, same format), so both see each other's changes.

import Store from 'electron-store';
import { STORE_FILE_MODE, type BackendFactory, type ConfLike } from '../../app/state/state-store.js';

export const electronStoreBackend: BackendFactory = async (layout) =>
  new Store({
    cwd: layout.dir,
    name: 'volumes',
    accessPropertiesByDotNotation: false,
    clearInvalidConfig: false,
    configFileMode: STORE_FILE_MODE,
  }) as unknown as ConfLike;
