// Tells a window when what it shows changed under it: the store file (the command line or
// another window wrote it) or the mount table (an outside mount or umount). The mount table
// is polled once a second, because /proc/self/mountinfo signals changes only through poll(2),
// which Node does not expose; reading it costs about 50 microseconds.
//
// The same poll looks at the places plugins are found (their socket and spec folders, one
// level down as Docker's NAME/NAME.sock, and containers.conf): a plugin that starts or stops
// changes them, and the window lists its drivers again.
//
// The poll compares against the table as it was when the window was last told to list, not
// as it was at the previous poll: a command-line mount (store event, the window lists it as
// mounted) followed by an outside umount within one poll interval leaves the table as the
// previous poll saw it, yet the window shows a mount that is gone.

import { mkdirSync, readdirSync, statSync, watch } from 'node:fs';
import { join } from 'node:path';
import type { ChangeEvent } from '../../app/api/bridge.js';
import { mountTableText } from '../../app/system/mountinfo.js';
import type { VolumeEngine } from '../../app/volume/engine.js';

const STATE_DEBOUNCE_MS = 50;

export interface WatchOptions {
  /** How often the mount table is read; tests lengthen it to widen the window a race needs. */
  pollMs?: number;
}

/** The table's text, or null when it cannot be read now (EMFILE under a flood): no change then. */
function tableNow(): string | null {
  try {
    return mountTableText();
  } catch {
    return null;
  }
}

/** What the plugin places hold now, as one string; a missing place reads as such. */
function pluginSignature(paths: string[]): string {
  const parts: string[] = [];
  for (const p of paths) {
    try {
      const st = statSync(p);
      parts.push(`${p} ${st.mtimeMs}`);
      if (!st.isDirectory()) continue;
      for (const e of readdirSync(p, { withFileTypes: true })) {
        parts.push(e.name);
        if (e.isDirectory()) parts.push(...readdirSync(join(p, e.name)).map((n) => `${e.name}/${n}`));
      }
    } catch {
      parts.push(`${p} -`);
    }
  }
  return parts.join('\n');
}

/**
 * Calls `emit` on every change until the returned stop is called. Nothing it runs may throw
 * out of a timer or a watcher: an error there would end the host or the window's process.
 */
export function watchChanges(engine: VolumeEngine, emit: (e: ChangeEvent) => void, o: WatchOptions = {}): () => void {
  const dir = engine.stateDir;
  const stateFile = engine.stateFile;
  mkdirSync(dir, { recursive: true });
  const base = stateFile.slice(dir.length + 1);
  let shown = tableNow();
  // Read before emitting: the window lists after the event, so it sees this table or a newer one.
  const tell = (e: ChangeEvent) => {
    shown = tableNow() ?? shown;
    try {
      emit(e);
    } catch {
      /* a window that cannot be told now is told at the next change */
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(dir, (_event, file) => {
    if (file !== base) return;
    clearTimeout(timer);
    timer = setTimeout(() => tell({ what: 'state' }), STATE_DEBOUNCE_MS);
  });
  watcher.on('error', () => undefined);
  const pluginPaths = engine.pluginWatchPaths();
  let plugins = pluginSignature(pluginPaths);
  let reconciling = false;
  const poll = setInterval(() => {
    const found = pluginSignature(pluginPaths);
    if (found !== plugins) {
      plugins = found;
      // Not through tell: the table it would take as shown has not been reconciled yet.
      try {
        emit({ what: 'drivers' });
      } catch {
        /* told at the next change */
      }
    }
    const now = tableNow();
    if (reconciling || now === null || now === shown) return;
    reconciling = true;
    // Correct stale counters first, so the window's next list is already right. A failed
    // reconcile (a corrupted store) still tells the window: its list shows the guided error.
    void engine
      .reconcile()
      .catch(() => undefined)
      .then(() => {
        reconciling = false;
        tell({ what: 'mounts' });
      });
  }, o.pollMs ?? 1000);
  poll.unref();
  return () => {
    watcher.close();
    clearInterval(poll);
    clearTimeout(timer);
  };
}
