// `plugin serve` spoken to as Docker and podman speak to it, and as a hostile or broken client
// would: raw HTTP on the real socket of a real server process, tmpfs volumes mounted for real.
// Containers themselves are in containers-podman.test.ts and containers-docker.test.ts.

import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { tryAcquire } from '../../app/state/locks.js';
import { cli } from '../helpers/cli.js';
import { describeIf, isRoot } from '../helpers/env.js';
import { mountsUnder, tempDir } from '../helpers/fixtures.js';
import { call, send, startServer, stopAllServers, type RunningServer } from '../helpers/plugin-server.js';

const A = 'a1'.repeat(32);
const B = 'b2'.repeat(32);

describeIf(isRoot, 'root (it mounts tmpfs volumes for real)')('the plugin server', () => {
  let t: ReturnType<typeof tempDir>;
  let state: string;
  let socket: string;
  let server: RunningServer;
  const stored = () => JSON.parse(readFileSync(join(state, 'volumes.json'), 'utf8')).volumes;
  const storeText = () => readFileSync(join(state, 'volumes.json'), 'utf8');
  /** Which write of the store is on disk: every write renames a new file in. */
  const storeVersion = () => {
    const st = statSync(join(state, 'volumes.json'));
    return `${st.ino}:${st.size}:${st.mtimeMs}`;
  };
  const kernelMounts = (name: string) => mountsUnder(join(state, 'volumes', name));
  const err = (a: { body: Record<string, unknown> }) => String(a.body.Err ?? '');

  beforeAll(async () => {
    t = tempDir('vm-serve-');
    state = join(t.dir, 'state');
    socket = join(t.dir, 'run', 'plugin.sock');
    server = await startServer(state, socket);
  });
  afterEach(async () => {
    if (!existsSync(socket)) server = await startServer(state, socket);
  });
  afterAll(async () => {
    await stopAllServers();
    t?.cleanup();
  });

  it('says what it is and where, and makes its socket for its user alone', async () => {
    expect(server.output()).toContain(`[engine.volume_plugins]\nvolume-manager = "${socket}"`);
    expect(lstatSync(socket).mode & 0o777).toBe(0o600);
    expect(await call(socket, 'Plugin.Activate')).toEqual({ status: 200, body: { Implements: ['VolumeDriver'] } });
    expect(await call(socket, 'VolumeDriver.Capabilities')).toEqual({ status: 200, body: { Capabilities: { Scope: 'local' } } });
  });

  it('creates as volume create --opt does, taking podman\'s copies of o= and refusing what the engine refuses', async () => {
    expect(await call(socket, 'VolumeDriver.Create', { Name: 'scratch', Opts: { type: 'tmpfs', device: 'tmpfs', o: 'size=8m', SIZE: '8m' } })).toEqual({ status: 200, body: {} });
    expect(stored().scratch).toMatchObject({ driver: 'local', options: { type: 'tmpfs', device: 'tmpfs', o: 'size=8m' }, mountCount: 0 });
    const before = storeText();
    const fuse = await call(socket, 'VolumeDriver.Create', { Name: 'evil', Opts: { type: 'fuse.sshfs', device: 'x' } });
    expect(fuse.status).toBe(500);
    expect(err(fuse)).toMatch(/FUSE/);
    const copy = await call(socket, 'VolumeDriver.Create', { Name: 'evil', Opts: { type: 'tmpfs', o: 'size=8m', SIZE: '1g' } });
    expect(err(copy)).toMatch(/SIZE/);
    const dup = await call(socket, 'VolumeDriver.Create', { Name: 'scratch', Opts: {} });
    expect(err(dup)).toMatch(/already exists/);
    expect(storeText()).toBe(before);
  });

  it('counts two containers on one kernel mount, refuses a remove and a stranger\'s unmount, and unmounts at the last', async () => {
    const first = await call(socket, 'VolumeDriver.Mount', { Name: 'scratch', ID: A });
    expect(first.status).toBe(200);
    const mp = String(first.body.Mountpoint);
    expect(mp).toBe(join(state, 'volumes', 'scratch', '_data'));
    expect(await call(socket, 'VolumeDriver.Mount', { Name: 'scratch', ID: B })).toEqual({ status: 200, body: { Mountpoint: mp } });
    expect(kernelMounts('scratch').map((m) => m.fstype)).toEqual(['tmpfs']);
    expect(stored().scratch).toMatchObject({ mountCount: 2, holders: { [A]: 1, [B]: 1 } });
    expect(await call(socket, 'VolumeDriver.Path', { Name: 'scratch' })).toEqual({ status: 200, body: { Mountpoint: mp } });
    const got = await call(socket, 'VolumeDriver.Get', { Name: 'scratch' });
    expect(got.body).toMatchObject({ Volume: { Name: 'scratch', Mountpoint: mp, Status: { Kind: 'tmpfs', Mounted: true, MountCount: 2 } } });
    expect(Date.parse(String((got.body.Volume as { CreatedAt: string }).CreatedAt))).not.toBeNaN();

    const removed = await call(socket, 'VolumeDriver.Remove', { Name: 'scratch' });
    expect(removed.status).toBe(500);
    expect(err(removed)).toContain(`held by Docker mount ${A.slice(0, 12)}, Docker mount ${B.slice(0, 12)}`);
    const stranger = await call(socket, 'VolumeDriver.Unmount', { Name: 'scratch', ID: 'c3'.repeat(32) });
    expect(stranger.status).toBe(500);
    expect(err(stranger)).toContain('nothing was unmounted');
    // The window's and the command line's unmount may not take a container's count either.
    const byHand = cli(state, ['volume', 'unmount', 'scratch']);
    expect(byHand.code).toBe(125);
    expect(byHand.stderr).toContain('every mount of scratch left is held by');
    expect(stored().scratch.mountCount).toBe(2);

    expect(await call(socket, 'VolumeDriver.Unmount', { Name: 'scratch', ID: A })).toEqual({ status: 200, body: {} });
    expect(kernelMounts('scratch')).toHaveLength(1);
    expect(await call(socket, 'VolumeDriver.Unmount', { Name: 'scratch', ID: B })).toEqual({ status: 200, body: {} });
    expect(kernelMounts('scratch')).toEqual([]);
    expect(stored().scratch.mountCount).toBe(0);
    expect(stored().scratch.holders).toBeUndefined();
    expect(await call(socket, 'VolumeDriver.Path', { Name: 'scratch' })).toEqual({ status: 200, body: { Mountpoint: '' } });
  });

  it('lists every volume of the store, whoever made it', async () => {
    expect(cli(state, ['volume', 'create', 'from-cli']).code).toBe(0);
    const listed = await call(socket, 'VolumeDriver.List');
    expect((listed.body.Volumes as { Name: string }[]).map((v) => v.Name)).toEqual(['from-cli', 'scratch']);
    const missing = await call(socket, 'VolumeDriver.Get', { Name: 'nope' });
    expect(missing.status).toBe(500);
    expect(err(missing)).toContain('no volume with name "nope"');
  });

  it('answers hostile and broken requests with an error, changes nothing, and keeps serving', async () => {
    const before = storeText();
    const cases: [string, Promise<{ status: number; body: Record<string, unknown> }>, number][] = [
      ['malformed JSON', send(socket, 'VolumeDriver.Create', '{"Name": "x",'), 400],
      ['an array', send(socket, 'VolumeDriver.Create', '[1,2]'), 400],
      ['a name that is a path', call(socket, 'VolumeDriver.Create', { Name: '../../etc', Opts: {} }), 500],
      ['a name that is not a string', call(socket, 'VolumeDriver.Mount', { Name: { $gt: '' }, ID: A }), 500],
      ['an ID that is a path', call(socket, 'VolumeDriver.Mount', { Name: 'scratch', ID: '../../x' }), 500],
      ['an empty ID', call(socket, 'VolumeDriver.Mount', { Name: 'scratch', ID: '' }), 500],
      ['options that are not strings', call(socket, 'VolumeDriver.Create', { Name: 'y', Opts: { type: ['tmpfs'] } }), 500],
      ['an unknown call', call(socket, 'VolumeDriver.Format', { Name: 'scratch' }), 404],
      ['a GET', send(socket, 'VolumeDriver.List', '', {}, 'GET'), 405],
      ['a foreign content type', send(socket, 'VolumeDriver.List', '{}', { 'Content-Type': 'text/html' }), 415],
      ['a body over 64 KiB', call(socket, 'VolumeDriver.Create', { Name: 'big', Opts: { o: 'x'.repeat(70_000) } }), 413],
    ];
    for (const [what, answer, status] of cases) {
      const a = await answer;
      expect({ what, status: a.status, hasErr: typeof a.body.Err === 'string' && a.body.Err.length > 0 }).toEqual({ what, status, hasErr: true });
    }
    expect(storeText()).toBe(before);
    expect(stored().scratch.mountCount).toBe(0);
    expect(await call(socket, 'Plugin.Activate')).toMatchObject({ status: 200 });
  });

  it('is not held by slow clients or a flood of idle connections', async () => {
    const idle: Socket[] = [];
    for (let i = 0; i < 200; i++) {
      const s = connect(socket);
      s.on('error', () => undefined);
      idle.push(s);
    }
    // One that sends half its headers and stops, one that sends a body forever slowly.
    const half = connect(socket);
    half.on('error', () => undefined);
    half.write('POST /VolumeDriver.List HTTP/1.1\r\nHost: x\r\n');
    await new Promise((r) => setTimeout(r, 300));
    idle.forEach((s) => s.destroy());
    expect(await call(socket, 'VolumeDriver.List')).toMatchObject({ status: 200 });
    half.destroy();
  });

  it('gives a mount back when its caller hung up before the answer (a container engine\'s timeout)', async () => {
    // Holding the volume's lock here keeps the server's Mount waiting while the caller leaves.
    const release = (await tryAcquire(join(state, 'locks'), 'volume-scratch'))!;
    expect(release).not.toBeNull();
    const client = connect(socket);
    client.on('error', () => undefined);
    const body = JSON.stringify({ Name: 'scratch', ID: A });
    client.write(`POST /VolumeDriver.Mount HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    await new Promise((r) => setTimeout(r, 500));
    client.destroy();
    // The store as it was before the server could mount: until the server has written it (the
    // mount, then its give-back), a count of 0 and no mount are only the state before either.
    const untouched = storeVersion();
    await release();
    for (let i = 0; i < 100 && (storeVersion() === untouched || stored().scratch.mountCount !== 0 || kernelMounts('scratch').length); i++) await new Promise((r) => setTimeout(r, 100));
    // It was mounted once the lock was free, then given back: nobody would ever unmount it.
    expect(stored().scratch).toMatchObject({ mountCount: 0 });
    expect(stored().scratch.holders).toBeUndefined();
    expect(kernelMounts('scratch')).toEqual([]);
  });

  it('loses no holder to a SIGKILL: the restarted server releases it for its container', async () => {
    expect((await call(socket, 'VolumeDriver.Mount', { Name: 'scratch', ID: A })).status).toBe(200);
    await server.stop('SIGKILL');
    expect(lstatSync(socket).isSocket()).toBe(true);
    server = await startServer(state, socket);
    expect(stored().scratch).toMatchObject({ mountCount: 1, holders: { [A]: 1 } });
    expect(kernelMounts('scratch')).toHaveLength(1);
    expect(await call(socket, 'VolumeDriver.Unmount', { Name: 'scratch', ID: A })).toEqual({ status: 200, body: {} });
    expect(kernelMounts('scratch')).toEqual([]);
  });

  it('takes no place that is taken: a live server, or a file that is not a socket', async () => {
    await expect(startServer(state, socket)).rejects.toMatchObject({ code: 125, stderr: expect.stringContaining(`a server already answers on ${socket}`) });
    const file = join(t.dir, 'not-a-socket');
    writeFileSync(file, 'mine');
    await expect(startServer(state, file)).rejects.toMatchObject({ code: 125, stderr: expect.stringContaining('exists and is not a socket') });
    expect(readFileSync(file, 'utf8')).toBe('mine');
    expect(await call(socket, 'Plugin.Activate')).toMatchObject({ status: 200 });
  });

  it('removes its socket on SIGTERM and leaves the mounts as the counter says', async () => {
    expect((await call(socket, 'VolumeDriver.Mount', { Name: 'scratch', ID: B })).status).toBe(200);
    expect(await server.stop('SIGTERM')).toBe(0);
    expect(existsSync(socket)).toBe(false);
    expect(kernelMounts('scratch')).toHaveLength(1);
    server = await startServer(state, socket);
    expect(await call(socket, 'VolumeDriver.Unmount', { Name: 'scratch', ID: B })).toEqual({ status: 200, body: {} });
    expect(spawnSync('findmnt', ['-rn', join(state, 'volumes', 'scratch', '_data')]).status).not.toBe(0);
  });
});
