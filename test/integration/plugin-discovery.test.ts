// Plugin discovery from every kind of place Docker and podman look in, each with a real
// plugin process behind it, and the overrides that point the engine elsewhere.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultLocations, type PluginLocations } from '../../app/plugin-client/locations.js';
import { VolumeEngine } from '../../app/volume/engine.js';
import { tempDir } from '../helpers/fixtures.js';
import { startPlugin, stopAllPlugins, type RunningPlugin } from '../helpers/plugin.js';

let t: ReturnType<typeof tempDir>;
let n = 0;
beforeAll(() => (t = tempDir('vm-discovery-')));
afterEach(() => stopAllPlugins());
afterAll(() => t.cleanup());

/** A directory of its own for each test, so no test finds another's plugins. */
function place() {
  const dir = join(t.dir, `case-${++n}`);
  const p = { dir, sockets: join(dir, 'run'), specs: join(dir, 'etc'), specs2: join(dir, 'lib'), conf: join(dir, 'containers.conf') };
  for (const d of [p.sockets, p.specs, p.specs2]) mkdirSync(d, { recursive: true });
  return p;
}

const run = (dir: string, name: string, listen: string, extra: Partial<Parameters<typeof startPlugin>[0]> = {}): Promise<RunningPlugin> => {
  const root = join(dir, `root-${name}`);
  mkdirSync(root, { recursive: true });
  return startPlugin({ listen, root, ...extra });
};

function engineFor(locations: PluginLocations) {
  return new VolumeEngine({ stateDir: join(t.dir, `state-${++n}`), plugins: locations });
}

/** Proves a found plugin is usable: a volume is created and mounted through it. */
async function usable(engine: VolumeEngine, driver: string, p: RunningPlugin) {
  await engine.create({ name: `vol-${driver}`, driver });
  const [m] = await engine.mount([`vol-${driver}`]);
  expect(m).toMatchObject({ ok: true, value: { Mountpoint: join(p.root, 'volumes', `vol-${driver}`) } });
}

describe('plugin discovery', () => {
  it("finds NAME.sock and NAME/NAME.sock in a socket directory (Docker's /run/docker/plugins)", async () => {
    const p = place();
    mkdirSync(join(p.sockets, 'nested'));
    const flat = await run(p.dir, 'flat', `unix://${join(p.sockets, 'flat.sock')}`);
    const nested = await run(p.dir, 'nested', `unix://${join(p.sockets, 'nested', 'nested.sock')}`);
    const engine = engineFor({ socketDirs: [p.sockets], specDirs: [], containersConfs: [] });
    const drivers = await engine.drivers();
    expect(drivers.map((d) => [d.Name, d.Source, d.Answers])).toEqual([
      ['local', 'builtin', true],
      ['flat', join(p.sockets, 'flat.sock'), true],
      ['nested', join(p.sockets, 'nested', 'nested.sock'), true],
    ]);
    await usable(engine, 'flat', flat);
    await usable(engine, 'nested', nested);
  });

  it('finds NAME.spec (a URL) and NAME.json ({Name, Addr}) in spec directories, unix and tcp', async () => {
    const p = place();
    const bySpec = await run(p.dir, 'byspec', `unix://${join(p.dir, 'elsewhere-spec.sock')}`);
    const byJson = await run(p.dir, 'byjson', `unix://${join(p.dir, 'elsewhere-json.sock')}`);
    const overTcp = await run(p.dir, 'overtcp', 'tcp://127.0.0.1:0');
    writeFileSync(join(p.specs, 'byspec.spec'), `${bySpec.address}\n`);
    writeFileSync(join(p.specs2, 'byjson.json'), JSON.stringify({ Name: 'byjson', Addr: byJson.address, TLSConfig: { InsecureSkipVerify: false } }));
    writeFileSync(join(p.specs2, 'overtcp.spec'), overTcp.address);
    const engine = engineFor({ socketDirs: [], specDirs: [p.specs, p.specs2], containersConfs: [] });
    const drivers = await engine.drivers();
    expect(drivers.slice(1).map((d) => [d.Name, d.Source, d.Address, d.Answers])).toEqual([
      ['byspec', join(p.specs, 'byspec.spec'), bySpec.address, true],
      ['byjson', join(p.specs2, 'byjson.json'), byJson.address, true],
      ['overtcp', join(p.specs2, 'overtcp.spec'), overTcp.address, true],
    ]);
    await usable(engine, 'byspec', bySpec);
    await usable(engine, 'byjson', byJson);
    await usable(engine, 'overtcp', overTcp);
  });

  it("reads podman's containers.conf: [engine.volume_plugins] and volume_plugin_timeout", async () => {
    const p = place();
    const fromConf = await run(p.dir, 'fromconf', `unix://${join(p.dir, 'conf.sock')}`);
    const stuck = await run(p.dir, 'stuck', `unix://${join(p.dir, 'stuck.sock')}`, { hang: ['VolumeDriver.Create'] });
    const user = join(p.dir, 'user-containers.conf');
    writeFileSync(p.conf, `[engine]\nvolume_plugin_timeout = 30\n\n[engine.volume_plugins]\nfromconf = "${join(p.dir, 'conf.sock')}"\nstuck = "/nonexistent.sock"\n`);
    // A later file overrides an earlier one key by key, as podman merges them.
    writeFileSync(user, `[engine]\nvolume_plugin_timeout = 1\n[engine.volume_plugins]\nstuck = "${join(p.dir, 'stuck.sock')}"\n`);
    const engine = engineFor({ socketDirs: [], specDirs: [], containersConfs: [p.conf, user, join(p.dir, 'absent.conf')] });
    expect((await engine.drivers()).slice(1).map((d) => [d.Name, d.Source, d.Answers])).toEqual([
      ['fromconf', p.conf, true],
      ['stuck', user, true],
    ]);
    await usable(engine, 'fromconf', fromConf);
    await expect(engine.create({ name: 'late', driver: 'stuck' })).rejects.toMatchObject({ code: 'PLUGIN_NOT_ANSWERING', happened: expect.stringContaining('within 1 s') });
    expect(stuck.calls().map((c) => c.call)).toContain('VolumeDriver.Create');
  });

  it('prefers a socket over a spec over containers.conf for the same name', async () => {
    const p = place();
    const sock = await run(p.dir, 'sock', `unix://${join(p.sockets, 'same.sock')}`);
    writeFileSync(join(p.specs, 'same.spec'), 'unix:///nonexistent/spec.sock');
    writeFileSync(p.conf, '[engine.volume_plugins]\nsame = "/nonexistent/conf.sock"\n');
    const engine = engineFor({ socketDirs: [p.sockets], specDirs: [p.specs], containersConfs: [p.conf] });
    const same = (await engine.drivers()).filter((d) => d.Name === 'same');
    expect(same).toEqual([expect.objectContaining({ Source: join(p.sockets, 'same.sock'), Answers: true })]);
    await usable(engine, 'same', sock);
  });

  it('shows broken spec and config files as problems without failing the rest', async () => {
    const p = place();
    await run(p.dir, 'fine', `unix://${join(p.sockets, 'fine.sock')}`);
    writeFileSync(join(p.specs, 'badurl.spec'), 'ftp://example/x');
    writeFileSync(join(p.specs, 'badjson.json'), '{"Name": ');
    writeFileSync(p.conf, '[engine\nvolume_plugins = 3');
    const engine = engineFor({ socketDirs: [p.sockets], specDirs: [p.specs], containersConfs: [p.conf] });
    const rows = await engine.drivers();
    expect(rows.find((d) => d.Name === 'fine')).toMatchObject({ Answers: true });
    expect(rows.find((d) => d.Name === 'badurl')).toMatchObject({ Answers: false, Error: expect.stringContaining('unsupported scheme ftp:') });
    expect(rows.find((d) => d.Name === 'badjson')).toMatchObject({ Answers: false, Error: expect.stringContaining('badjson.json') });
    expect(rows.find((d) => d.Source === p.conf)).toMatchObject({ Name: '-', Answers: false });
    await expect(engine.create({ name: 'v', driver: 'badurl' })).rejects.toMatchObject({ code: 'PLUGIN_MISSING', happened: expect.stringContaining('unsupported scheme') });
  });
});

describe('plugin locations', () => {
  it("defaults to Docker's and podman's places", () => {
    expect(defaultLocations({ HOME: '/home/u' })).toEqual({
      socketDirs: ['/run/docker/plugins'],
      specDirs: ['/etc/docker/plugins', '/usr/lib/docker/plugins'],
      containersConfs: ['/usr/share/containers/containers.conf', '/etc/containers/containers.conf', '/home/u/.config/containers/containers.conf'],
    });
    expect(defaultLocations({ HOME: '/home/u', XDG_CONFIG_HOME: '/x' }).containersConfs[2]).toBe('/x/containers/containers.conf');
  });

  it("honours podman's CONTAINERS_CONF and our own variables, an empty one meaning none", () => {
    expect(defaultLocations({ CONTAINERS_CONF: '/only.conf' }).containersConfs).toEqual(['/only.conf']);
    expect(
      defaultLocations({ VOLUME_MANAGER_PLUGIN_SOCKET_DIRS: '/a:/b', VOLUME_MANAGER_PLUGIN_SPEC_DIRS: '', VOLUME_MANAGER_CONTAINERS_CONF: '/c.conf', CONTAINERS_CONF: '/ignored' }),
    ).toEqual({ socketDirs: ['/a', '/b'], specDirs: [], containersConfs: ['/c.conf'] });
  });
});
