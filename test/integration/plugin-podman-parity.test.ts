// Where podman 4.3.1 (Debian's) and this engine must behave alike with the same volume plugin,
// checked against the repository's test plugin through the command line and the API. The
// expectations were read off podman side by side (podman --root ... volume create/inspect/
// mount/reload against the same plugin); podman itself is not needed to run them.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PSEUDO_ID } from '../../app/plugin-client/protocol.js';
import { VolumeEngine } from '../../app/volume/engine.js';
import { cli } from '../helpers/cli.js';
import { pluginSuite, rawCall, startPlugin, type RunningPlugin } from '../helpers/plugin.js';
import { writeStore } from '../helpers/fixtures.js';

const suite = pluginSuite('vm-parity-', { beforeAll, afterEach, afterAll });
let n = 0;

async function setup(name: string) {
  const root = join(suite.dir, `plugin-${name}-${++n}`);
  mkdirSync(root, { recursive: true });
  const p = await startPlugin({ listen: `unix://${join(suite.sockets, `${name}.sock`)}`, root });
  const stateDir = join(suite.dir, `state-${n}`);
  const engine = new VolumeEngine({ stateDir, plugins: { socketDirs: [suite.sockets], specDirs: [], containersConfs: [] } });
  const run = (...args: string[]) => cli(stateDir, ['--plugin-socket-dir', suite.sockets, ...args]);
  return { p, engine, run };
}

const callsOf = (p: RunningPlugin, call: string) => p.calls().filter((c) => c.call === call);
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

describe('podman parity for plugin volumes', () => {
  it('inspect has podman 4.3\'s keys in podman\'s order, empty ones left out, then ours', async () => {
    const { run } = await setup('order');
    expect(run('volume', 'create', '--driver', 'order', '--opt', 'o=timeout=3', '--opt', 'timeout=9', '--opt', 'foo=bar', 'pv').code).toBe(0);
    const [pv] = JSON.parse(run('volume', 'inspect', 'pv').stdout);
    // podman 4.3.1: Name Driver Mountpoint CreatedAt Status Labels Scope Options MountCount
    // NeedsCopyUp NeedsChown Timeout. The two Needs* are podman's copy of image content into a
    // volume no container has used yet: true, as podman shows a new volume.
    expect(Object.keys(pv).slice(0, 12)).toEqual(['Name', 'Driver', 'Mountpoint', 'CreatedAt', 'Status', 'Labels', 'Scope', 'Options', 'MountCount', 'NeedsCopyUp', 'NeedsChown', 'Timeout']);
    expect(pv).toMatchObject({ Mountpoint: '', Options: { foo: 'bar', timeout: '9' }, Timeout: 3, MountCount: 0, Mounted: false, Kind: 'plugin' });
    expect(pv.CreatedAt).toMatch(RFC3339);

    expect(run('volume', 'create', '--opt', 'type=tmpfs', '--opt', 'device=tmpfs', '--opt', 'o=uid=1000', 'tv').code).toBe(0);
    const [tv] = JSON.parse(run('volume', 'inspect', 'tv').stdout);
    expect(Object.keys(tv).slice(0, 9)).toEqual(['Name', 'Driver', 'Mountpoint', 'CreatedAt', 'Labels', 'Scope', 'Options', 'UID', 'MountCount']);
    expect(tv.UID).toBe(1000);
    expect(tv.Timeout).toBeUndefined();
  });

  it('refuses o=timeout for the local driver with podman\'s words', async () => {
    const { run } = await setup('localtimeout');
    const r = run('volume', 'create', '--opt', 'type=tmpfs', '--opt', 'o=timeout=5', 'lt');
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('Volume driver timeout can only be used with non-local volume drivers');
    expect(r.stderr).toContain('[INVALID_OPTION]');
  });

  it('shows a Mountpoint only while mounted, never the one another client got from the plugin', async () => {
    const { p, engine } = await setup('mp');
    await engine.create({ name: 'm', driver: 'mp' });
    // Another client mounts it behind the engine's back: the plugin's Get now reports a path.
    expect((await rawCall(p.socket!, 'VolumeDriver.Mount', { Name: 'm', ID: 'someone-else' })).status).toBe(200);
    expect((await engine.inspect(['m']))[0]).toMatchObject({ Mountpoint: '', MountCount: 0 });
    const [mounted] = await engine.mount(['m']);
    expect((await engine.inspect(['m']))[0]!.Mountpoint).toBe(mounted!.value!.Mountpoint);
    await engine.unmount(['m']);
    expect((await engine.inspect(['m']))[0]!.Mountpoint).toBe('');
  });

  it('adopts the plugin\'s own volume on create, asking Get first, as podman does', async () => {
    const { p, run } = await setup('adopt');
    expect((await rawCall(p.socket!, 'VolumeDriver.Create', { Name: 'pre', Opts: { x: '1' } })).status).toBe(200);
    expect(run('volume', 'create', '--driver', 'adopt', 'pre')).toMatchObject({ code: 0, stdout: 'pre\n' });
    expect(callsOf(p, 'VolumeDriver.Create')).toHaveLength(1);
    expect(callsOf(p, 'VolumeDriver.Get').map((c) => c.body)).toContainEqual({ Name: 'pre' });
    const [pre] = JSON.parse(run('volume', 'inspect', 'pre').stdout);
    expect(pre.Status).toEqual({ opts: { x: '1' }, mounts: 0 });
    // A new name is created, after a Get that the plugin answers with its not-found error.
    expect(run('volume', 'create', '--driver', 'adopt', 'fresh').code).toBe(0);
    expect(callsOf(p, 'VolumeDriver.Create').map((c) => c.body)).toContainEqual({ Name: 'fresh', Opts: {} });
  });

  it('reload adds with its own RFC 3339 time, keeps a mounted volume the plugin lost, and exits 125', async () => {
    const { p, engine, run } = await setup('sync');
    await engine.create({ name: 'm', driver: 'sync' });
    await engine.mount(['m']);
    // The volume vanishes on the plugin's side while mounted; another appears.
    expect((await rawCall(p.socket!, 'VolumeDriver.Unmount', { Name: 'm', ID: PSEUDO_ID })).status).toBe(200);
    expect((await rawCall(p.socket!, 'VolumeDriver.Remove', { Name: 'm' })).status).toBe(200);
    expect((await rawCall(p.socket!, 'VolumeDriver.Create', { Name: 'newer', Opts: {} })).status).toBe(200);

    const r = run('volume', 'reload');
    expect(r.code).toBe(125);
    expect(r.stdout).toBe('Added:\nnewer\n');
    expect(r.stderr).toContain('Volume plugin sync no longer lists a mounted volume (m)');
    expect(r.stderr).toContain('[VOLUME_IN_USE]');
    expect(r.stderr).toMatch(/volume-manager volume rm --force m && volume-manager volume reload/);
    const stored = engine.records();
    expect(stored.m).toMatchObject({ mountCount: 1 });
    expect(stored.newer!.createdAt).toMatch(RFC3339);
    expect(Number.isNaN(Date.parse(stored.newer!.createdAt))).toBe(false);
  });

  it('reload reports a name clash as a guided error that names volume reload', async () => {
    const { p, engine, run } = await setup('clash');
    await engine.create({ name: 'taken' });
    expect((await rawCall(p.socket!, 'VolumeDriver.Create', { Name: 'taken', Opts: {} })).status).toBe(200);
    const report = await engine.reload();
    expect(report.Errors).toEqual([{ Driver: 'clash', Volume: 'taken', Error: expect.objectContaining({ code: 'VOLUME_EXISTS' }) }]);
    expect(report.Errors[0]!.Error.steps.map((s) => s.command).join('\n')).toContain('volume-manager volume reload');
    const r = run('volume', 'reload');
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('[VOLUME_EXISTS]');
  });

  it('reload reports a plugin that does not answer as a guided error with its code', async () => {
    const { p, engine } = await setup('down');
    await engine.create({ name: 'dv', driver: 'down' });
    await p.stop('SIGKILL');
    const report = await engine.reload();
    expect(report.Errors).toEqual([{ Driver: 'down', Error: expect.objectContaining({ code: 'PLUGIN_NOT_ANSWERING' }) }]);
    expect(engine.records().dv).toBeDefined();
  });

  it("errors start with podman's line, and the title does not repeat the name printed beside it", async () => {
    const root = join(suite.dir, `plugin-refuser-${++n}`);
    mkdirSync(root);
    await startPlugin({ listen: `unix://${join(suite.sockets, 'refuser.sock')}`, root, fail: { 'VolumeDriver.Mount': 'no mounts today' } });
    const stateDir = join(suite.dir, `state-${n}`);
    const run = (...args: string[]) => cli(stateDir, ['--plugin-socket-dir', suite.sockets, ...args]);
    expect(run('volume', 'create', '--driver', 'refuser', 'ogone').code).toBe(0);
    const r = run('volume', 'mount', 'ogone');
    expect(r.stderr.split('\n').slice(0, 2)).toEqual(['Error: refuser: no mounts today', 'Volume plugin refuser refused mount (ogone)']);
  });

  it('forgets the counters of a plugin volume after a reboot, as podman does', async () => {
    const { p, engine } = await setup('boot');
    await engine.create({ name: 'b', driver: 'boot' });
    await engine.mount(['b']);
    await engine.mount(['b']);
    // What the state file looks like after a reboot: written during another boot.
    await writeStore(engine.stateDir, () => undefined);
    const file = engine.stateFile;
    writeFileSync(file, readFileSync(file, 'utf8').replace(/"bootId": "[^"]*"/, '"bootId": "an-earlier-boot"'));
    expect((await engine.list()).find((v) => v.Name === 'b')).toMatchObject({ MountCount: 0, Mounted: false, Mountpoint: '' });
    const [again] = await engine.mount(['b']);
    expect(again).toMatchObject({ ok: true, value: { MountCount: 1 } });
    expect(callsOf(p, 'VolumeDriver.Mount')).toHaveLength(2);
  });
});
