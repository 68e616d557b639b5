// Real tmpfs, bind and ext4-image mounts through the engine API, with the counter checked
// against the kernel's mount table after every step.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { VolumeEngine } from '../../app/volume/engine.js';
import { hasCommand, needsRoot } from '../helpers/env.js';
import { mountsUnder, tempDir } from '../helpers/fixtures.js';

needsRoot()('local volumes, mounted for real', () => {
  let t: ReturnType<typeof tempDir>;
  let engine: VolumeEngine;
  const entriesAt = (mp: string) => mountsUnder(t.dir).filter((m) => m.mountpoint === mp);
  const count = async (name: string) => (await engine.inspect([name]))[0]!.MountCount;

  beforeAll(() => {
    t = tempDir();
    engine = new VolumeEngine({ stateDir: join(t.dir, 'state') });
  });
  afterAll(() => t.cleanup());

  it('mounts a tmpfs with its size once, counts every mount, and unmounts at the last', async () => {
    await engine.create({ name: 'scratch', options: { type: 'tmpfs', size: '16m', o: 'mode=0750' } });
    const mp = engine.mountpoint('scratch');
    expect(entriesAt(mp)).toHaveLength(0);

    const [first] = await engine.mount(['scratch']);
    expect(first).toMatchObject({ ok: true, value: { Mountpoint: mp, MountCount: 1 } });
    expect(entriesAt(mp)).toHaveLength(1);
    expect(entriesAt(mp)[0]!.fstype).toBe('tmpfs');
    expect(entriesAt(mp)[0]!.options).toContain('size=16384k');
    expect(entriesAt(mp)[0]!.options).toContain('mode=750');

    await engine.mount(['scratch']);
    expect(await count('scratch')).toBe(2);
    expect(entriesAt(mp)).toHaveLength(1);

    writeFileSync(join(mp, 'file'), 'hello');
    await engine.unmount(['scratch']);
    expect(await count('scratch')).toBe(1);
    expect(entriesAt(mp)).toHaveLength(1);
    expect(readFileSync(join(mp, 'file'), 'utf8')).toBe('hello');

    await engine.unmount(['scratch']);
    expect(await count('scratch')).toBe(0);
    expect(entriesAt(mp)).toHaveLength(0);
    expect(existsSync(join(mp, 'file'))).toBe(false);

    const [noop] = await engine.unmount(['scratch']);
    expect(noop).toMatchObject({ ok: true, value: { MountCount: 0 } });
  });

  it('bind-mounts an existing directory', async () => {
    const src = join(t.dir, 'src');
    mkdirSync(src);
    writeFileSync(join(src, 'marker'), 'bound');
    await engine.create({ name: 'bound', options: { type: 'bind', device: src } });
    await engine.mount(['bound']);
    const mp = engine.mountpoint('bound');
    expect(entriesAt(mp)).toHaveLength(1);
    expect(readFileSync(join(mp, 'marker'), 'utf8')).toBe('bound');
    await engine.unmount(['bound']);
    expect(entriesAt(mp)).toHaveLength(0);
  });

  it.runIf(hasCommand('mkfs.ext4'))('loop-mounts an ext4 image file', async () => {
    const img = join(t.dir, 'disk.img');
    writeFileSync(img, Buffer.alloc(0));
    spawnSync('truncate', ['-s', '8M', img]);
    expect(spawnSync('mkfs.ext4', ['-q', '-F', img]).status).toBe(0);
    await engine.create({ name: 'disk', options: { type: 'ext4', device: img } });
    const [r] = await engine.mount(['disk']);
    expect(r!.ok).toBe(true);
    const [entry] = entriesAt(engine.mountpoint('disk'));
    expect(entry!.fstype).toBe('ext4');
    expect(existsSync(join(engine.mountpoint('disk'), 'lost+found'))).toBe(true);
    await engine.unmount(['disk']);
    expect(entriesAt(engine.mountpoint('disk'))).toHaveLength(0);
  });

  it('reports a busy volume with the process that holds it, keeps the count, and detaches with force', async () => {
    await engine.create({ name: 'busy', options: { type: 'tmpfs' } });
    await engine.mount(['busy']);
    const mp = engine.mountpoint('busy');
    const holder = spawn('sleep', ['30'], { cwd: mp, stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 200));
      const [r] = await engine.unmount(['busy']);
      expect(r!.ok).toBe(false);
      expect(r!.error!.code).toBe('TARGET_BUSY');
      expect(r!.error!.why).toContain(`pid ${holder.pid}`);
      expect(await count('busy')).toBe(1);
      expect(entriesAt(mp)).toHaveLength(1);
      const [forced] = await engine.unmount(['busy'], true);
      expect(forced!.ok).toBe(true);
      expect(entriesAt(mp)).toHaveLength(0);
      expect(await count('busy')).toBe(0);
    } finally {
      holder.kill();
    }
  });

  it('refuses to remove a mounted volume unless forced, and never deletes through a mount', async () => {
    const src = join(t.dir, 'precious');
    mkdirSync(src);
    writeFileSync(join(src, 'keep'), 'me');
    await engine.create({ name: 'precious', options: { type: 'bind', device: src } });
    await engine.mount(['precious']);
    const [refused] = await engine.remove(['precious']);
    expect(refused!.error!.code).toBe('VOLUME_IN_USE');
    const [removed] = await engine.remove(['precious'], true);
    expect(removed!.ok).toBe(true);
    expect(readFileSync(join(src, 'keep'), 'utf8')).toBe('me');
    expect(entriesAt(engine.mountpoint('precious'))).toHaveLength(0);
    await expect(engine.inspect(['precious'])).rejects.toMatchObject({ code: 'VOLUME_NOT_FOUND' });
  });

  it('prunes only volumes that are not mounted', async () => {
    await engine.create({ name: 'keep-mounted', options: { type: 'tmpfs' } });
    await engine.create({ name: 'unused' });
    await engine.mount(['keep-mounted']);
    const pruned = await engine.prune();
    expect(pruned).toContainEqual({ name: 'unused', ok: true, value: {} });
    expect(pruned.map((p) => p.name)).not.toContain('keep-mounted');
    expect((await engine.list()).map((v) => v.Name)).toContain('keep-mounted');
    await engine.unmount(['keep-mounted']);
  });

  it('mounts several volumes in one call and reports each', async () => {
    await engine.create({ name: 'm1', options: { type: 'tmpfs' } });
    await engine.create({ name: 'm2', options: { type: 'tmpfs' } });
    const items = await engine.mount(['m1', 'm2', 'missing']);
    expect(items.map((i) => [i.name, i.ok])).toEqual([['m1', true], ['m2', true], ['missing', false]]);
    expect(items[2]!.error!.code).toBe('VOLUME_NOT_FOUND');
    expect(entriesAt(engine.mountpoint('m1'))).toHaveLength(1);
    expect(entriesAt(engine.mountpoint('m2'))).toHaveLength(1);
    await engine.unmount(['m1', 'm2']);
    expect(mountsUnder(join(t.dir, 'state')).filter((m) => /\/m[12]\//.test(m.mountpoint))).toHaveLength(0);
  });

  it('filters the list by name, label, driver and mounted state', async () => {
    await engine.create({ name: 'lab-a', labels: { team: 'x' } });
    await engine.create({ name: 'lab-b', labels: { team: 'y' }, options: { type: 'tmpfs' } });
    await engine.mount(['lab-b']);
    expect((await engine.list({ label: ['team=x'] })).map((v) => v.Name)).toEqual(['lab-a']);
    expect((await engine.list({ label: ['team'] })).map((v) => v.Name)).toEqual(['lab-a', 'lab-b']);
    expect((await engine.list({ name: ['lab-'], mounted: true })).map((v) => v.Name)).toEqual(['lab-b']);
    expect((await engine.list({ driver: ['nope'] })).length).toBe(0);
    await engine.unmount(['lab-b']);
  });

  it('works with a volumes/ directory that is a symlink to another disk: mount, list, unmount, rm', async () => {
    // An administrator moved the volumes elsewhere and left a symlink; the mount table names
    // the resolved path, so the engine must compare with that.
    const state = join(t.dir, 'moved-state');
    const elsewhere = join(t.dir, 'other-disk', 'volumes');
    mkdirSync(elsewhere, { recursive: true });
    mkdirSync(state);
    symlinkSync(elsewhere, join(state, 'volumes'));
    const moved = new VolumeEngine({ stateDir: state });
    await moved.create({ name: 'far', options: { type: 'tmpfs', size: '1m' } });
    const [m] = await moved.mount(['far']);
    expect(m).toMatchObject({ ok: true, value: { Mountpoint: join(elsewhere, 'far', '_data'), MountCount: 1 } });
    expect(entriesAt(join(elsewhere, 'far', '_data'))).toHaveLength(1);
    expect((await moved.list()).find((v) => v.Name === 'far')).toMatchObject({ Mounted: true, MountCount: 1 });
    expect((await moved.list()).find((v) => v.Name === 'far')!.Reconciled).toBeUndefined();
    const [u] = await moved.unmount(['far']);
    expect(u).toMatchObject({ ok: true, value: { MountCount: 0 } });
    expect(entriesAt(join(elsewhere, 'far', '_data'))).toHaveLength(0);
    const [r] = await moved.remove(['far']);
    expect(r!.ok).toBe(true);
    expect(existsSync(join(elsewhere, 'far'))).toBe(false);
  });
});
