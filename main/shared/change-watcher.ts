// Tells a window when what it shows changed under it: the store file (the command line or
// another window wrote it) or the mount table (an outside mount or umount). The mount table
// is polled once a second, because /proc/self/mountinfo signals changes only through poll(2),
// which Node does not expose; reading it costs about 50 microseconds.

import { mkdirSync, readFileSync, watch } from 'node:fs';
import type { ChangeEvent } from '../../app/api/bridge.js';
import type { VolumeEngine } from '../../app/volume/engine.js';

const MOUNT_POLL_MS = 1000;
const STATE_DEBOUNCE_MS = 50;

export function watchChanges(engine: VolumeEngine, emit: (e: ChangeEvent) => void): () => void {
  const { dir, stateFile } = engine.layout;
  mkdirSync(dir, { recursive: true });
  const base = stateFile.slice(dir.length + 1);
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(dir, (_event, file) => {
    if (file !== base) return;
    clearTimeout(timer);
    timer = setTimeout(() => emit({ what: 'state' }), STATE_DEBOUNCE_MS);
  });
  let table = readFileSync('/proc/self/mountinfo', 'utf8');
  const poll = setInterval(() => {
    const now = readFileSync('/proc/self/mountinfo', 'utf8');
    if (now === table) return;
    table = now;
    // Correct stale counters first, so the window's next list is already right.
    void engine.reconcile().finally(() => emit({ what: 'mounts' }));
  }, MOUNT_POLL_MS);
  poll.unref();
  return () => {
    watcher.close();
    clearInterval(poll);
    clearTimeout(timer);
  };
}
