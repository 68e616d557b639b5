// As root, only root's plugins, and never a path a plugin names into the system: a plugin
// socket in a directory anyone may write is listed as refused and never called; a plugin
// that answers / or /etc as a Mountpoint fails its mount and has its hold given back; and a
// replace as root deletes only inside a mount of the plugin's own.

import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { VolumeEngine } from '../../app/volume/engine.js';
import { importVolume } from '../../app/transfer/transfer.js';
import { archive } from '../helpers/archives.js';
import { needsRoot } from '../helpers/env.js';
import { tempDir } from '../helpers/fixtures.js';
import { startPlugin, stopAllPlugins } from '../helpers/plugin.js';
import { Readable } from 'node:stream';

needsRoot()('plugins as root', () => {
  let t: ReturnType<typeof tempDir>;
  let n = 0;
  beforeAll(() => (t = tempDir('vm-root-plugins-')));
  afterEach(() => stopAllPlugins());
  afterAll(() => t.cleanup());

  const setup = async (socketMode: number, lieMountpoint?: string) => {
    const dir = join(t.dir, `case-${++n}`);
    const sockets = join(dir, 'plugins');
    mkdirSync(sockets, { recursive: true });
    chmodSync(sockets, socketMode);
    const root = join(dir, 'plugin-root');
    mkdirSync(root);
    const plugin = await startPlugin({ listen: `unix://${join(sockets, 'liar.sock')}`, root, lieMountpoint });
    const engine = new VolumeEngine({ stateDir: join(dir, 'state'), plugins: { socketDirs: [sockets], specDirs: [], containersConfs: [] } });
    return { plugin, engine, dir };
  };

  it('lists a socket in a directory anyone may write as refused, and never calls it', async () => {
    const { plugin, engine } = await setup(0o777);
    const drivers = await engine.drivers();
    const row = drivers.find((d) => d.Name === 'liar');
    expect(row).toMatchObject({ Answers: false });
    expect(row!.Error).toMatch(/refused: as root, only plugins whose sockets and specs root owns in root-only directories are used; .*plugins \(mode 777\) lets others than root put files in it/);
    await expect(engine.create({ name: 'v', driver: 'liar' })).rejects.toMatchObject({ code: 'PLUGIN_MISSING' });
    expect(plugin.calls()).toEqual([]);
  });

  it('keeps a socket in a root-only directory, and one in a sticky directory that root owns', async () => {
    for (const mode of [0o755, 0o1777]) {
      const { engine, plugin } = await setup(mode);
      await engine.create({ name: 'fine', driver: 'liar' });
      const [m] = await engine.mount(['fine']);
      expect(m, mode.toString(8)).toMatchObject({ ok: true, value: { Mountpoint: join(plugin.root, 'volumes', 'fine') } });
    }
  });

  it.each(['/', '/etc', '/usr/lib', '/root'])('fails a mount whose plugin answers %s, and gives the plugin its hold back', async (lie) => {
    const { engine, plugin } = await setup(0o755, lie);
    await engine.create({ name: 'lied', driver: 'liar' });
    const [m] = await engine.mount(['lied']);
    expect(m).toMatchObject({ ok: false, error: { code: 'PLUGIN_ERROR' } });
    expect(m!.error!.happened).toContain(`answered Mountpoint "${lie}"`);
    expect(plugin.calls().map((c) => c.call)).toEqual(expect.arrayContaining(['VolumeDriver.Mount', 'VolumeDriver.Unmount']));
    expect((await engine.inspect(['lied']))[0]).toMatchObject({ MountCount: 0, Mountpoint: '' });
  });

  it('replaces as root only inside a mount of the plugin\'s own: a directory it names is left as it was', async () => {
    const victim = join(t.dir, 'victim-dir');
    mkdirSync(victim);
    writeFileSync(join(victim, 'precious'), 'untouched');
    const { engine } = await setup(0o755, victim);
    await engine.create({ name: 'named', driver: 'liar' });
    const tar = archive([{ path: 'new', type: 'File', body: 'x' }]);
    await expect(importVolume(engine, 'named', Readable.from([tar]), { replace: true })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(readdirSync(victim)).toEqual(['precious']);
    expect(readFileSync(join(victim, 'precious'), 'utf8')).toBe('untouched');
    expect((await engine.inspect(['named']))[0]!.MountCount).toBe(0);
  });
});
