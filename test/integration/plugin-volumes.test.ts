// Plugin-backed volumes against the repository's test plugin, a separate process on a real
// Unix socket: the lifecycle through the API and the command line, the counter and the
// cached mountpoint, and every way a plugin can fail.

import { existsSync, mkdirSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, createHandlers } from '../../app/handlers/handlers.js';
import { PSEUDO_ID } from '../../app/plugin-client/protocol.js';
import { VolumeEngine } from '../../app/volume/engine.js';
import { cli } from '../helpers/cli.js';
import { pluginSuite, rawCall, startPlugin, type RunningPlugin } from '../helpers/plugin.js';

const suite = pluginSuite('vm-plugin-', { beforeAll, afterEach, afterAll });
let n = 0;

/** A fresh state directory and engine that finds plugins only in this suite's socket dir. */
function freshEngine() {
  const stateDir = join(suite.dir, `state-${++n}`);
  const engine = new VolumeEngine({ stateDir, plugins: { socketDirs: [suite.sockets], specDirs: [], containersConfs: [] } });
  return { stateDir, engine, api: createHandlers(engine) };
}

function plugin(name: string, extra: Partial<Parameters<typeof startPlugin>[0]> = {}): Promise<RunningPlugin> {
  const root = join(suite.dir, `plugin-${name}`);
  mkdirSync(root, { recursive: true });
  return startPlugin({ listen: `unix://${join(suite.sockets, `${name}.sock`)}`, root, ...extra });
}

const callsOf = (p: RunningPlugin, call: string) => p.calls().filter((c) => c.call === call);

describe('a plugin volume through the API', () => {
  it('creates, mounts once for many mounts, caches the mountpoint, unmounts at the last, removes', async () => {
    const p = await plugin('life');
    const { engine, api } = freshEngine();

    const created = await api['volume.create']({ name: 'data', driver: 'life', options: { size: '1g', timeout: '9', o: 'timeout=7' }, labels: { team: 'a' } });
    expect(created).toMatchObject({ Driver: 'life', Kind: 'plugin', MountCount: 0, Mounted: false, Mountpoint: '', Timeout: 7, Options: { size: '1g', timeout: '9' } });
    // As podman 4.3: o=timeout=N is the engine's, and timeout=N is an option like any other.
    expect(callsOf(p, 'VolumeDriver.Create')).toEqual([{ call: 'VolumeDriver.Create', body: { Name: 'data', Opts: { size: '1g', timeout: '9' } } }]);

    const pluginMp = join(p.root, 'volumes', 'data');
    for (let i = 1; i <= 3; i++) {
      const [m] = await engine.mount(['data']);
      expect(m).toEqual({ name: 'data', ok: true, value: { Mountpoint: pluginMp, MountCount: i } });
    }
    expect(callsOf(p, 'VolumeDriver.Mount')).toEqual([{ call: 'VolumeDriver.Mount', body: { Name: 'data', ID: PSEUDO_ID } }]);

    const [seen] = await engine.inspect(['data']);
    expect(seen).toMatchObject({ Mountpoint: pluginMp, MountCount: 3, Timeout: 7, Mounted: true, Plugin: { State: 'ready' }, Status: { opts: { size: '1g', timeout: '9' }, mounts: 1 } });
    expect(engine.records().data!.mountpoint).toBe(pluginMp);

    expect((await engine.unmount(['data']))[0]!.value).toEqual({ MountCount: 2 });
    expect((await engine.unmount(['data']))[0]!.value).toEqual({ MountCount: 1 });
    expect(callsOf(p, 'VolumeDriver.Unmount')).toHaveLength(0);
    expect((await engine.unmount(['data']))[0]!.value).toEqual({ MountCount: 0 });
    expect(callsOf(p, 'VolumeDriver.Unmount')).toEqual([{ call: 'VolumeDriver.Unmount', body: { Name: 'data', ID: PSEUDO_ID } }]);
    expect(engine.records().data!.mountpoint).toBeUndefined();
    expect((await engine.inspect(['data']))[0]).toMatchObject({ Mountpoint: '', Mounted: false });
    // An unmount at 0 is a no-op and does not reach the plugin.
    await engine.unmount(['data']);
    expect(callsOf(p, 'VolumeDriver.Unmount')).toHaveLength(1);

    expect(await engine.remove(['data'])).toEqual([{ name: 'data', ok: true, value: {} }]);
    expect(callsOf(p, 'VolumeDriver.Remove')).toHaveLength(1);
    expect(engine.records().data).toBeUndefined();
    expect(existsSync(pluginMp)).toBe(false);
  });

  it('accepts plain application/json answers, and shows the plugin scope on inspect', async () => {
    await plugin('plainjson', { contentType: 'application/json', scope: 'global' });
    const { engine } = freshEngine();
    await engine.create({ name: 'pj', driver: 'plainjson' });
    expect((await engine.mount(['pj']))[0]!.ok).toBe(true);
    expect((await engine.inspect(['pj']))[0]).toMatchObject({ Scope: 'global', Mounted: true });
    expect((await engine.drivers()).find((d) => d.Name === 'plainjson')).toMatchObject({ Answers: true, Scope: 'global' });
  });

  it('refuses to remove a mounted plugin volume unless forced, and force unmounts it first', async () => {
    const p = await plugin('busy');
    const { engine } = freshEngine();
    await engine.create({ name: 'b', driver: 'busy' });
    await engine.mount(['b']);
    await engine.mount(['b']);
    const [refused] = await engine.remove(['b']);
    expect(refused!.error).toMatchObject({ code: 'VOLUME_IN_USE' });
    expect(callsOf(p, 'VolumeDriver.Remove')).toHaveLength(0);
    expect(await engine.remove(['b'], true)).toEqual([{ name: 'b', ok: true, value: {} }]);
    expect(p.calls().map((c) => c.call).filter((c) => c.startsWith('VolumeDriver.')).slice(-2)).toEqual(['VolumeDriver.Unmount', 'VolumeDriver.Remove']);
  });
});

describe('a plugin volume through the command line', () => {
  it('runs the whole lifecycle with --plugin-socket-dir', async () => {
    const p = await plugin('clip');
    const { stateDir } = freshEngine();
    const run = (...args: string[]) => cli(stateDir, ['--plugin-socket-dir', suite.sockets, ...args]);

    expect(run('driver', 'ls').stdout).toMatch(/^clip\s+yes\s+local\s+\S*clip\.sock/m);
    expect(run('volume', 'create', '--driver', 'clip', '--opt', 'color=blue', 'cv')).toMatchObject({ code: 0, stdout: 'cv\n' });
    const mp = join(p.root, 'volumes', 'cv');
    expect(run('volume', 'mount', 'cv')).toMatchObject({ code: 0, stdout: `${mp}\n` });
    expect(run('volume', 'mount', 'cv')).toMatchObject({ code: 0, stdout: `${mp}\n` });
    expect(run('volume', 'ls', '--format', '{{.Driver}} {{.Name}} {{.Mounted}} {{.MountCount}} {{.Kind}}').stdout).toBe('clip cv true 2 plugin\n');
    expect(JSON.parse(run('volume', 'inspect', 'cv').stdout)[0]).toMatchObject({ Driver: 'clip', Mountpoint: mp, MountCount: 2, Options: { color: 'blue' } });
    expect(run('volume', 'unmount', 'cv').code).toBe(0);
    expect(run('volume', 'unmount', 'cv').code).toBe(0);
    expect(run('volume', 'rm', 'cv')).toMatchObject({ code: 0, stdout: 'cv\n' });
    expect(p.calls().map((c) => c.call).filter((c) => /Create|Mount|Unmount|Remove/.test(c))).toEqual([
      'VolumeDriver.Create',
      'VolumeDriver.Mount',
      'VolumeDriver.Unmount',
      'VolumeDriver.Remove',
    ]);
  });

  it('finds plugins through VOLUME_MANAGER_PLUGIN_SOCKET_DIRS', async () => {
    await plugin('envp');
    const { stateDir } = freshEngine();
    const r = cli(stateDir, ['driver', 'ls', '--format', 'json'], { env: { VOLUME_MANAGER_PLUGIN_SOCKET_DIRS: suite.sockets } });
    expect(JSON.parse(r.stdout).find((d: { Name: string }) => d.Name === 'envp')).toMatchObject({ Answers: true });
  });
});

describe('a plugin that fails', () => {
  it('stopped mid-way: its volumes still list, marked, and every operation names it', async () => {
    const root = join(suite.dir, 'plugin-stopper');
    const listen = `unix://${join(suite.sockets, 'stopper.sock')}`;
    let p = await startPlugin({ listen, root });
    const { engine, stateDir } = freshEngine();
    await engine.create({ name: 's1', driver: 'stopper' });
    await engine.create({ name: 's2', driver: 'stopper' });
    await engine.mount(['s1']);
    await p.stop('SIGTERM');

    const listed = await engine.list();
    expect(listed.map((v) => [v.Name, v.Plugin?.State, v.MountCount])).toEqual([
      ['s1', 'missing', 1],
      ['s2', 'missing', 0],
    ]);
    expect(cli(stateDir, ['--plugin-socket-dir', suite.sockets, 'volume', 'ls', '--format', '{{.Driver}} {{.Name}} {{.Mounted}} {{.MountCount}} {{.Plugin.State}}']).stdout.split('\n')).toContain('stopper s1 true 1 missing');

    const [m] = await engine.mount(['s2']);
    expect(m!.error).toMatchObject({ code: 'PLUGIN_MISSING' });
    expect(m!.error!.happened).toContain('volume plugin stopper (needed by volume s2)');
    expect(m!.error!.steps.map((s) => s.command)).toContain('sudo systemctl start stopper');
    const [u] = await engine.unmount(['s1']);
    expect(u!.error).toMatchObject({ code: 'PLUGIN_MISSING' });
    expect((await engine.inspect(['s1']))[0]!.MountCount).toBe(1);

    // Killed hard, the socket file stays and nothing listens on it.
    p = await startPlugin({ listen, root });
    await p.stop('SIGKILL');
    expect(existsSync(join(suite.sockets, 'stopper.sock'))).toBe(true);
    const [refused] = await engine.unmount(['s1']);
    expect(refused!.error).toMatchObject({ code: 'PLUGIN_NOT_ANSWERING' });
    expect(refused!.error!.happened).toMatch(/ECONNREFUSED/);
    expect((await engine.list())[0]!.Plugin).toMatchObject({ State: 'not-answering' });

    // Started again on the same socket, it is used again, with its volumes where it left them.
    p = await startPlugin({ listen, root });
    expect((await engine.unmount(['s1']))[0]).toMatchObject({ ok: true, value: { MountCount: 0 } });
    await p.stop('SIGTERM');

    const forced = await engine.remove(['s2'], true);
    expect(forced[0]).toMatchObject({ ok: true });
    expect(forced[0]!.value!.warning).toMatch(/state only.*stopper/);
    expect(engine.records().s2).toBeUndefined();
    const [kept] = await engine.remove(['s1']);
    expect(kept!.error).toMatchObject({ code: 'PLUGIN_MISSING' });
    expect(engine.records().s1).toBeDefined();
  });

  it("quotes the plugin's Err, and changes nothing when a create is refused", async () => {
    await plugin('refuser', { fail: { 'VolumeDriver.Create': 'quota exceeded on pool tank', 'VolumeDriver.Remove': 'snapshots depend on it' } });
    const { engine, api } = freshEngine();
    const env = await dispatch(api, 'volume.create', { name: 'q', driver: 'refuser' });
    expect(env).toMatchObject({ ok: false, error: { code: 'PLUGIN_ERROR', happened: 'refuser: quota exceeded on pool tank' } });
    expect(engine.records().q).toBeUndefined();
  });

  it('refuses rm when the plugin refuses, and --force removes it with a warning', async () => {
    const root = join(suite.dir, 'plugin-keeper');
    const listen = `unix://${join(suite.sockets, 'keeper.sock')}`;
    let p = await startPlugin({ listen, root });
    const { stateDir } = freshEngine();
    const run = (...args: string[]) => cli(stateDir, ['--plugin-socket-dir', suite.sockets, ...args]);
    expect(run('volume', 'create', '--driver', 'keeper', 'k').code).toBe(0);
    await p.stop();
    p = await startPlugin({ listen, root, fail: { 'VolumeDriver.Remove': 'snapshots depend on it' } });
    const refused = run('volume', 'rm', 'k');
    expect(refused.code).toBe(125);
    expect(refused.stderr).toContain('keeper: snapshots depend on it');
    expect(refused.stderr).toContain('[PLUGIN_ERROR]');
    expect(run('volume', 'ls', '-q').stdout).toBe('k\n');
    const forced = run('volume', 'rm', '--force', 'k');
    expect(forced).toMatchObject({ code: 0, stdout: 'k\n' });
    expect(forced.stderr).toMatch(/^Warning: removed k from the state only.*snapshots depend on it/m);
    expect(run('volume', 'ls', '-q').stdout).toBe('');
  });

  it('times out a plugin that hangs, with the volume timeout, and keeps the counter at 0', async () => {
    const p = await plugin('sleeper', { hang: ['VolumeDriver.Mount'] });
    const { engine } = freshEngine();
    await engine.create({ name: 'slow', driver: 'sleeper', options: { o: 'timeout=1' } });
    const [r] = await engine.mount(['slow']);
    expect(r!.error).toMatchObject({ code: 'PLUGIN_NOT_ANSWERING', title: 'Volume plugin sleeper did not answer in time' });
    expect(r!.error!.happened).toContain('no answer within 1 s');
    expect(r!.error!.steps.map((s) => s.command)).toContain('volume-manager volume create --driver sleeper --opt o=timeout=30 NAME');
    expect((await engine.inspect(['slow']))[0]!.MountCount).toBe(0);
    expect(callsOf(p, 'VolumeDriver.Mount')).toHaveLength(1);
  });

  it('reports a socket that is not a plugin, whether it speaks HTTP or not', async () => {
    const servers: Server[] = [];
    const listen = (s: Server, path: string) => new Promise<void>((r) => s.listen(path, () => r()));
    const banner = createNetServer((c) => c.end('SSH-2.0-OpenSSH_9.2\r\n'));
    const web = createHttpServer((_q, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html>hello</html>');
    });
    servers.push(banner, web);
    await listen(banner, join(suite.sockets, 'notssh.sock'));
    await listen(web, join(suite.sockets, 'notweb.sock'));
    try {
      const { engine } = freshEngine();
      const drivers = await engine.drivers();
      for (const name of ['notssh', 'notweb']) {
        const d = drivers.find((x) => x.Name === name)!;
        expect(d).toMatchObject({ Answers: false });
        expect(d.Error).toContain('is not a volume plugin');
      }
      expect(drivers.find((x) => x.Name === 'notweb')!.Error).toContain('text/html');
      await expect(engine.create({ name: 'x', driver: 'notweb' })).rejects.toMatchObject({ code: 'PLUGIN_NOT_ANSWERING' });
      expect(engine.records().x).toBeUndefined();
    } finally {
      for (const s of servers) s.close();
    }
  });

  it('rejects a driver name that is not a plugin name, before looking for it', async () => {
    const { engine } = freshEngine();
    await expect(engine.create({ name: 'x', driver: '../../etc/passwd' })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    await expect(engine.create({ name: 'x', driver: 'nosuch' })).rejects.toMatchObject({ code: 'PLUGIN_MISSING' });
    await expect(engine.create({ name: 'x', driver: 'nosuch', options: { o: 'timeout=0' } })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});

describe('reload', () => {
  it('adds what the plugin has and the state lacks, and drops what the plugin no longer has', async () => {
    const p = await plugin('syncer');
    const { engine, stateDir } = freshEngine();
    await engine.create({ name: 'kept', driver: 'syncer' });
    await engine.create({ name: 'gone', driver: 'syncer' });
    await engine.create({ name: 'plain' });
    // Behind the engine's back: another tool talks to the plugin directly.
    expect((await rawCall(p.socket!, 'VolumeDriver.Create', { Name: 'extra', Opts: {} })).status).toBe(200);
    expect((await rawCall(p.socket!, 'VolumeDriver.Remove', { Name: 'gone' })).status).toBe(200);

    const r = cli(stateDir, ['--plugin-socket-dir', suite.sockets, 'volume', 'reload']);
    expect(r).toMatchObject({ code: 0, stdout: 'Added:\nextra\nRemoved:\ngone\n' });
    expect((await engine.list()).map((v) => `${v.Driver}/${v.Name}`)).toEqual(['syncer/extra', 'syncer/kept', 'local/plain']);
    expect(await engine.reload()).toEqual({ Added: [], Removed: [], Errors: [] });
  });

  it('leaves the volumes of a plugin that does not answer alone, and says so', async () => {
    const p = await plugin('quiet');
    const { engine } = freshEngine();
    await engine.create({ name: 'qv', driver: 'quiet' });
    await p.stop('SIGKILL');
    const report = await engine.reload();
    expect(report.Removed).toEqual([]);
    expect(report.Errors).toEqual([expect.objectContaining({ Driver: 'quiet' })]);
    expect(engine.records().qv).toBeDefined();
  });
});
