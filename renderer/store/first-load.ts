// The first lists are asked for while the page is still starting, before React and the first
// render run: the engine builds the list (and the host sends it) in parallel with them, which
// at 10,000 volumes is most of the time to the first painted list. main.tsx imports this
// module first so that it runs before react-dom is evaluated.

import { call } from '../bridge/api.js';
import { useCommandLine } from './command-line.js';
import { useDrivers } from './drivers.js';
import { useErrors } from './errors.js';
import { useMachines } from './machines.js';
import { useVolumes } from './volumes.js';

void useVolumes.getState().refresh();
void useDrivers.getState().refresh();
void useCommandLine.getState().learn();
void useMachines.getState().refresh();

// Volumes set to come back at login that did not are told here, at the window's next start:
// at login nobody may have been looking.
void call('volume.restoreFailures', {}).then(
  (failed) => {
    for (const f of failed) if (f.Error) useErrors.getState().show({ error: f.Error, subject: `${f.Name}, at login`, retry: () => void useVolumes.getState().mount([f.Name]) });
  },
  () => undefined,
);
