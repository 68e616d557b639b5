// A mount the counter says is mounted outlives the program that made it, as every other kind
// does: an SSH volume mounted through the browser host stays mounted, with its count, when the
// host's whole process group gets SIGTERM (what Ctrl-C in the `npm start` terminal sends).

import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hostUrl } from '../helpers/browser-host.js';
import { cli } from '../helpers/cli.js';
import { describeIf, isRoot, SSH, sshUp } from '../helpers/env.js';
import { mountsUnder, tempDir } from '../helpers/fixtures.js';

const HOST = resolve(import.meta.dirname, '../../dist/host.mjs');
const TOKEN = 'outlive-test-token-0123456789abcdefghijklmn';

describeIf(isRoot && sshUp(), 'root, sshfs and the test sshd (test/setup/provision.sh)')('an SSH volume and the host that mounted it', () => {
  let t: ReturnType<typeof tempDir>;
  let state: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    t = tempDir('vm-ssh-outlive-');
    state = join(t.dir, 'state');
    mkdirSync(state);
    const key = join(t.dir, 'key');
    copyFileSync(SSH.key, key);
    chmodSync(key, 0o600);
    const knownHosts = join(t.dir, 'known_hosts');
    writeFileSync(knownHosts, spawnSync('ssh-keyscan', ['-p', String(SSH.port), '127.0.0.1'], { encoding: 'utf8' }).stdout);
    env = { ...process.env, VOLUME_MANAGER_KNOWN_HOSTS: knownHosts, VOLUME_MANAGER_HOST_TOKEN: TOKEN };
    expect(cli(state, ['volume', 'create', '--opt', 'type=sshfs', '--opt', `device=${SSH.user}@127.0.0.1:${SSH.remote}`, '--opt', `o=port=${SSH.port},IdentityFile=${key}`, 'remote'], { env }).code).toBe(0);
  });
  afterAll(() => {
    for (const m of mountsUnder(state).reverse()) spawnSync('fusermount3', ['-uz', m.mountpoint]);
    t?.cleanup();
  });

  it('stays mounted, with its count, when the host\'s process group is sent SIGTERM', async () => {
    // The host leads a process group of its own, as `npm start` in a terminal does.
    const host = spawn(process.execPath, [HOST, '--port', '0', '--state-dir', state], { stdio: ['ignore', 'pipe', 'pipe'], env, detached: true });
    const url = new URL(await hostUrl(host));
    const mounted = await fetch(new URL('/api/volume.mount', url), { method: 'POST', headers: { 'X-Volume-Manager-Token': TOKEN, 'Content-Type': 'application/json' }, body: JSON.stringify({ names: ['remote'] }) }).then((r) => r.json());
    expect(mounted).toMatchObject({ ok: true, value: [{ ok: true }] });
    expect(mountsUnder(state).map((m) => m.fstype)).toEqual(['fuse.sshfs']);
    const exited = new Promise((r) => host.once('exit', r));
    process.kill(-host.pid!, 'SIGTERM');
    await exited;
    await new Promise((r) => setTimeout(r, 1500));
    const [mount] = mountsUnder(state);
    expect(mount?.fstype).toBe('fuse.sshfs');
    expect(readFileSync(join(mount!.mountpoint, 'README'), 'utf8')).toBe('served over SFTP\n');
    const [view] = JSON.parse(cli(state, ['volume', 'inspect', 'remote'], { env }).stdout);
    expect(view).toMatchObject({ Mounted: true, MountCount: 1 });
    expect(cli(state, ['volume', 'unmount', 'remote'], { env }).code).toBe(0);
    expect(mountsUnder(state)).toHaveLength(0);
  });
});
