// What the removal question and the details panel are told: a plain directory's files,
// counted, and who holds a mounted volume. Plain directories need no root, so this runs
// anywhere; the process that holds the volume is a real one.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { volumeContents } from './contents.js';
import { VolumeEngine } from './engine.js';

const HOLD = 'c0'.repeat(32);

describe('volume.contents', () => {
  let dir: string;
  let engine: VolumeEngine;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vm-contents-'));
    engine = new VolumeEngine({ stateDir: dir, plugins: { socketDirs: [], specDirs: [], containersConfs: [] } });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("counts a plain directory's files, and names nobody while nothing holds it", async () => {
    const v = await engine.create({ name: 'notes' });
    writeFileSync(join(v.Mountpoint, 'a.txt'), 'hello');
    const [c] = await volumeContents(engine, ['notes']);
    expect(c).toEqual({ Name: 'notes', Loses: 'files', Entries: 1, Bytes: 5 });
  });

  it('names the process that works inside a mounted volume, and how it holds it', async () => {
    await engine.create({ name: 'held' });
    // A container's hold counts a plain directory as mounted, with no root needed.
    const [v] = await engine.hold('held', HOLD).then(() => engine.inspect(['held']));
    const sleeper = spawn('sleep', ['30'], { cwd: v!.Mountpoint, stdio: 'ignore' });
    try {
      await new Promise((r) => sleeper.once('spawn', r));
      const [c] = await volumeContents(engine, ['held']);
      expect(c!.Holders).toContain(`sleep (pid ${sleeper.pid}: cwd)`);
    } finally {
      sleeper.kill();
    }
  });

  it('names each holder under its own volume when several are asked about at once', async () => {
    for (const n of ['one', 'two', 'idle']) await engine.create({ name: n });
    for (const n of ['one', 'two', 'idle']) await engine.hold(n, HOLD);
    const views = await engine.inspect(['one', 'two']);
    const sleepers = views.map((v) => spawn('sleep', ['30'], { cwd: v.Mountpoint, stdio: 'ignore' }));
    try {
      await Promise.all(sleepers.map((p) => new Promise((r) => p.once('spawn', r))));
      const [one, two, idle] = await volumeContents(engine, ['one', 'two', 'idle']);
      expect(one!.Holders).toEqual([`sleep (pid ${sleepers[0]!.pid}: cwd)`]);
      expect(two!.Holders).toEqual([`sleep (pid ${sleepers[1]!.pid}: cwd)`]);
      expect(idle!.Holders).toEqual([]);
    } finally {
      for (const p of sleepers) p.kill();
    }
  });

  it('refuses an unknown name and a name that is no name', async () => {
    await expect(volumeContents(engine, ['nothere'])).rejects.toMatchObject({ code: 'VOLUME_NOT_FOUND' });
    await expect(volumeContents(engine, ['../x'])).rejects.toMatchObject({ code: 'INVALID_NAME' });
  });
});
