// The first lists are asked for while the page is still starting, before React and the first
// render run: the engine builds the list (and the host sends it) in parallel with them, which
// at 10,000 volumes is most of the time to the first painted list. main.tsx imports this
// module first so that it runs before react-dom is evaluated.

import { useDrivers } from './drivers.js';
import { useVolumes } from './volumes.js';

void useVolumes.getState().refresh();
void useDrivers.getState().refresh();
