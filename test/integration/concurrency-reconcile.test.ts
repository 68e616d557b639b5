// Several processes share one store: 50 concurrent command-line mounts of one volume, and a
// mount table changed behind the engine's back.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { VolumeEngine } from '../../app/volume/engine.js';
import { cli, cliAsync } from '../helpers/cli.js';
import { needsRoot } from '../helpers/env.js';
import { mountsUnder, suiteStateDir } from '../helpers/fixtures.js';

needsRoot()('shared state across processes', () => {
  const t = suiteStateDir({ beforeAll, afterAll });

  it('50 concurrent mounts from separate processes end with a counter of 50 and one mount', async () => {
    expect(cli(t.state, ['volume', 'create', '--opt', 'type=tmpfs', 'shared']).code).toBe(0);
    const results = await Promise.all(Array.from({ length: 50 }, () => cliAsync(t.state, ['volume', 'mount', 'shared'])));
    expect(results.filter((r) => r.code !== 0).map((r) => r.stderr)).toEqual([]);
    const stored = JSON.parse(readFileSync(join(t.state, 'volumes.json'), 'utf8'));
    expect(stored.volumes.shared.mountCount).toBe(50);
    const mp = join(t.state, 'volumes/shared/_data');
    expect(mountsUnder(t.dir).filter((m) => m.mountpoint === mp)).toHaveLength(1);

    const downs = await Promise.all(Array.from({ length: 50 }, () => cliAsync(t.state, ['volume', 'unmount', 'shared'])));
    expect(downs.every((r) => r.code === 0)).toBe(true);
    expect(JSON.parse(readFileSync(join(t.state, 'volumes.json'), 'utf8')).volumes.shared.mountCount).toBe(0);
    expect(mountsUnder(t.dir)).toHaveLength(0);
  });

  it('corrects the counter after an outside umount, and mounts again for real', async () => {
    const engine = new VolumeEngine({ stateDir: t.state });
    await engine.create({ name: 'outside', options: { type: 'tmpfs' } });
    await engine.mount(['outside']);
    await engine.mount(['outside']);
    const mp = engine.mountpoint('outside');
    expect(spawnSync('umount', [mp]).status).toBe(0);

    const listed = JSON.parse(cli(t.state, ['volume', 'ls', '--format', 'json']).stdout);
    const v = listed.find((x: { Name: string }) => x.Name === 'outside');
    expect(v).toMatchObject({ Mounted: false, MountCount: 0 });
    expect(v.Reconciled).toContain('not in the mount table');
    expect(JSON.parse(readFileSync(join(t.state, 'volumes.json'), 'utf8')).volumes.outside.mountCount).toBe(0);

    const [again] = await engine.mount(['outside']);
    expect(again).toMatchObject({ ok: true, value: { MountCount: 1 } });
    expect(mountsUnder(t.dir).filter((m) => m.mountpoint === mp)).toHaveLength(1);
    await engine.unmount(['outside']);
  });

  it('reconciles every volume at start', async () => {
    const engine = new VolumeEngine({ stateDir: t.state });
    await engine.create({ name: 'crash', options: { type: 'tmpfs' } });
    await engine.mount(['crash']);
    spawnSync('umount', [engine.mountpoint('crash')]);
    const fresh = new VolumeEngine({ stateDir: t.state });
    expect(await fresh.reconcile()).toEqual(['crash']);
    expect(fresh.records().crash!.mountCount).toBe(0);
  });
});
