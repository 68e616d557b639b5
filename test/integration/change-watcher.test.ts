// What tells an open window to list again: store writes by other processes, and mount
// table changes made behind the engine's back, including a mount and umount that both fall
// between two polls of the mount table; and a plugin that starts or stops, so the drivers
// are as live as the volumes.

import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { ChangeEvent } from '../../app/api/bridge.js';
import { VolumeEngine } from '../../app/volume/engine.js';
import { watchChanges } from '../../main/shared/change-watcher.js';
import { cli } from '../helpers/cli.js';
import { needsRoot } from '../helpers/env.js';
import { mountsUnder, suiteStateDir } from '../helpers/fixtures.js';

/** Collects events and resolves waits on the first event of a kind seen after the wait began. */
function recorder() {
  const seen: ChangeEvent[] = [];
  const waiting: { what: ChangeEvent['what']; resolve: () => void }[] = [];
  return {
    seen,
    emit(e: ChangeEvent) {
      seen.push(e);
      for (const w of waiting.splice(0).filter((w) => (w.what === e.what ? (w.resolve(), false) : true))) waiting.push(w);
    },
    next(what: ChangeEvent['what'], ms: number) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no '${what}' event within ${ms} ms; saw ${JSON.stringify(seen)}`)), ms);
        waiting.push({ what, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
  };
}

needsRoot()('the change watcher', () => {
  const t = suiteStateDir({ beforeAll, afterAll });
  let stop: (() => void) | undefined;
  afterEach(() => stop?.());

  it('tells of a plugin socket that appears, in its own folder too, and of one that goes', async () => {
    const dir = join(t.dir, 'plugins');
    mkdirSync(join(dir, 'nested'), { recursive: true });
    const engine = new VolumeEngine({ stateDir: t.state, plugins: { socketDirs: [dir], specDirs: [], containersConfs: [] } });
    const events = recorder();
    stop = watchChanges(engine, events.emit, { pollMs: 200 });
    const servers: Server[] = [];
    const listen = async (path: string) => {
      const s = createServer();
      servers.push(s);
      await new Promise<void>((r) => s.listen(path, r));
    };
    try {
      let told = events.next('drivers', 5000);
      await listen(join(dir, 'late.sock'));
      await told;
      told = events.next('drivers', 5000);
      await listen(join(dir, 'nested', 'nested.sock'));
      await told;
      told = events.next('drivers', 5000);
      await new Promise((r) => servers.shift()!.close(r));
      await told;
    } finally {
      for (const s of servers) s.close();
    }
  });

  it('tells of a command-line write, then of an umount that undoes a mount made since the last poll', async () => {
    const engine = new VolumeEngine({ stateDir: t.state });
    const events = recorder();
    // A poll long enough that the command-line mount and the outside umount both land between
    // two polls: the mount table at the next poll is the one the previous poll saw.
    stop = watchChanges(engine, events.emit, { pollMs: 1500 });
    const written = events.next('state', 5000);
    expect(cli(t.state, ['volume', 'create', '--opt', 'type=tmpfs', 'quick']).code).toBe(0);
    await written;
    const mountedWritten = events.next('state', 5000);
    expect(cli(t.state, ['volume', 'mount', 'quick']).code).toBe(0);
    await mountedWritten;
    expect((await engine.list()).find((v) => v.Name === 'quick')).toMatchObject({ Mounted: true, MountCount: 1 });

    const told = events.next('mounts', 5000);
    expect(spawnSync('umount', [join(t.state, 'volumes', 'quick', '_data')]).status).toBe(0);
    await told;
    // The watcher reconciled before telling, so the store is already right for the window's list.
    expect(engine.records().quick!.mountCount).toBe(0);
    expect((await engine.list()).find((v) => v.Name === 'quick')).toMatchObject({ Mounted: false, MountCount: 0 });
    expect(mountsUnder(t.dir)).toHaveLength(0);
  });

  it('stays quiet while nothing changes', async () => {
    const engine = new VolumeEngine({ stateDir: t.state });
    const events = recorder();
    stop = watchChanges(engine, events.emit, { pollMs: 100 });
    await new Promise((r) => setTimeout(r, 600));
    expect(events.seen).toEqual([]);
  });
});
