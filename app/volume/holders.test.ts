// Holds: the mounts containers take through the plugin server, on the one counter the window
// and the command line use. Plain directories need no root and count like any volume, so the
// counting rules run anywhere; the kernel side is in test/integration/plugin-server.test.ts.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PSEUDO_ID } from '../plugin-client/protocol.js';
import { VolumeEngine } from './engine.js';

const DOCKER_A = 'a'.repeat(64);
const DOCKER_B = 'b'.repeat(64);

describe('holds through the plugin server', () => {
  let dir: string;
  let engine: VolumeEngine;
  const stored = () => JSON.parse(readFileSync(join(dir, 'volumes.json'), 'utf8')).volumes;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vm-holders-'));
    engine = new VolumeEngine({ stateDir: dir, plugins: { socketDirs: [], specDirs: [], containersConfs: [] } });
    await engine.create({ name: 'data' });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('counts each hold on the one counter and records it by its ID; a mount of a plain directory counts nothing', async () => {
    expect((await engine.hold('data', DOCKER_A)).MountCount).toBe(1);
    expect((await engine.hold('data', DOCKER_B)).MountCount).toBe(2);
    expect(await engine.mount(['data'])).toMatchObject([{ ok: true, value: { MountCount: 2 } }]);
    expect(stored().data).toMatchObject({ mountCount: 2, holders: { [DOCKER_A]: 1, [DOCKER_B]: 1 } });
    const [view] = await engine.inspect(['data']);
    expect(view!.UsedBy).toEqual([
      { ID: DOCKER_A, Mounts: 1, Engine: 'docker' },
      { ID: DOCKER_B, Mounts: 1, Engine: 'docker' },
    ]);
  });

  it('counts the same ID again (podman sends one for all its containers) and gives back one per release', async () => {
    await engine.hold('data', PSEUDO_ID);
    await engine.hold('data', PSEUDO_ID);
    expect(stored().data.holders).toEqual({ [PSEUDO_ID]: 2 });
    expect((await engine.release('data', PSEUDO_ID)).MountCount).toBe(1);
    expect(stored().data.holders).toEqual({ [PSEUDO_ID]: 1 });
    expect((await engine.release('data', PSEUDO_ID)).MountCount).toBe(0);
    expect(stored().data.holders).toBeUndefined();
  });

  it('refuses a release by an ID that holds nothing, and lowers nothing', async () => {
    await engine.hold('data', DOCKER_A);
    await expect(engine.release('data', DOCKER_B)).rejects.toMatchObject({ code: 'HOLDER_UNKNOWN', happened: expect.stringContaining(DOCKER_B) });
    expect(stored().data).toMatchObject({ mountCount: 1, holders: { [DOCKER_A]: 1 } });
  });

  it('refuses IDs that are not IDs before touching the store', async () => {
    const before = readFileSync(join(dir, 'volumes.json'), 'utf8');
    for (const bad of ['', '../x', 'a b', 'x'.repeat(129), '-rf', 'a\nb']) await expect(engine.hold('data', bad)).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    expect(readFileSync(join(dir, 'volumes.json'), 'utf8')).toBe(before);
  });

  it("does not let the window unmount a container's count, unless forced, which ends every hold", async () => {
    await engine.hold('data', DOCKER_A);
    const [theirs] = await engine.unmount(['data']);
    expect(theirs).toMatchObject({ ok: false, error: { code: 'VOLUME_IN_USE', happened: `every mount of data left is held by Docker mount ${DOCKER_A.slice(0, 12)}` } });
    expect(stored().data).toMatchObject({ mountCount: 1, holders: { [DOCKER_A]: 1 } });
    const [forced] = await engine.unmount(['data'], true);
    expect(forced).toMatchObject({ ok: true, value: { MountCount: 0 } });
    expect(stored().data.holders).toBeUndefined();
    await expect(engine.release('data', DOCKER_A)).rejects.toMatchObject({ code: 'HOLDER_UNKNOWN' });
  });

  it('names the holders when a remove is refused', async () => {
    await engine.hold('data', PSEUDO_ID);
    const [r] = await engine.remove(['data']);
    expect(r).toMatchObject({ ok: false, error: { code: 'VOLUME_IN_USE', happened: "volume data is mounted 1 time(s), held by podman's containers" } });
  });

  it('refuses a store whose holders are not IDs with counts (hostile to whoever reads it)', async () => {
    const doc = JSON.parse(readFileSync(join(dir, 'volumes.json'), 'utf8'));
    doc.volumes.data.holders = { '../../etc': 1 };
    writeFileSync(join(dir, 'volumes.json'), JSON.stringify(doc));
    await expect(engine.list()).rejects.toMatchObject({ happened: expect.stringContaining('holders') });
    doc.volumes.data.holders = { [DOCKER_A]: 0 };
    writeFileSync(join(dir, 'volumes.json'), JSON.stringify(doc));
    await expect(engine.list()).rejects.toMatchObject({ happened: expect.stringContaining('holders') });
  });
});
