// Real podman (Debian's 4.3.1) running containers on the plugin server's volumes: as root on a
// private store, and rootless as vmtest against a server run as vmtest, for a tmpfs (mounted
// through the real polkitd with an allowing rule) and an SSH volume (no elevation at all).
//
// podman keeps its own mount count for plugin volumes and sends one Mount (with one pseudo ID
// for all its containers) before the first of them and one Unmount after the last, so the
// engine counts podman once, as one holder, however many of its containers run.
//
// / is a private mount on these machines; on a systemd desktop it is shared, and a mount the
// server makes after rootless podman made its namespace reaches that namespace. The rootless
// suite makes the folders the mounts appear under shared, as a desktop's are.

import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PSEUDO_ID } from '../../app/plugin-client/protocol.js';
import { ELEVATED_ROOT } from '../../app/system/elevated-targets.js';
import { cli, CLI } from '../helpers/cli.js';
import { IMAGE, privatePodman, type Podman } from '../helpers/containers.js';
import { describeIf, podmanUp, polkitUp, SSH, sshUp } from '../helpers/env.js';
import { mountsUnder, tempDir } from '../helpers/fixtures.js';
import { startServer, stopAllServers, type RunningServer } from '../helpers/plugin-server.js';
import { elevatedMountsOf, leaveNothingGranted, RULE, ruleText, USER, userUid, waitForPolkit } from '../helpers/polkit.js';

const waitFor = async (what: string, ok: () => boolean) => {
  for (let i = 0; i < 100; i++) {
    if (ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};

/** Makes `dir` a shared mount of its own, as every mount is on a systemd desktop; once. */
function shared(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  if (spawnSync('mountpoint', ['-q', dir]).status !== 0) spawnSync('mount', ['--bind', dir, dir]);
  spawnSync('mount', ['--make-shared', dir]);
}

describeIf(podmanUp(), 'root, podman, runc and the test image (test/setup/provision.sh)')('podman on the plugin server, as root', () => {
  let t: ReturnType<typeof tempDir>;
  let state: string;
  let server: RunningServer;
  let podman: Podman;
  const stored = () => JSON.parse(readFileSync(join(state, 'volumes.json'), 'utf8')).volumes;
  const run = (...args: string[]) => cli(state, args);
  const kernelMounts = (name: string) => mountsUnder(join(state, 'volumes', name));

  beforeAll(async () => {
    t = tempDir('vm-podman-');
    state = join(t.dir, 'state');
    const socket = join(t.dir, 'plugin', 'plugin.sock');
    server = await startServer(state, socket);
    podman = privatePodman(join(t.dir, 'podman'), { 'volume-manager': socket });
  });
  afterAll(async () => {
    podman?.cleanup();
    await stopAllServers();
    t?.cleanup();
  });

  it('creates a tmpfs with options through podman, and podman sees it as the plugin\'s', () => {
    const r = podman.run(['volume', 'create', '--driver', 'volume-manager', '--opt', 'type=tmpfs', '--opt', 'device=tmpfs', '--opt', 'o=size=16m,mode=1777', 'scratch']);
    expect(r.stderr).toBe('');
    expect(stored().scratch).toMatchObject({ driver: 'local', options: { type: 'tmpfs', device: 'tmpfs', o: 'size=16m,mode=1777' }, mountCount: 0 });
    expect(JSON.parse(podman.run(['volume', 'inspect', 'scratch']).stdout)[0]).toMatchObject({ Name: 'scratch', Driver: 'volume-manager' });
  });

  it('runs containers on one kernel mount and one count, with the window\'s mount beside them', async () => {
    const first = podman.detached(['-v', 'scratch:/data', IMAGE, 'sh', '-c', 'echo from-container > /data/f; sleep 120']);
    const mp = join(state, 'volumes', 'scratch', '_data');
    await waitFor('the container\'s file', () => existsSync(join(mp, 'f')));
    expect(readFileSync(join(mp, 'f'), 'utf8')).toBe('from-container\n');
    expect(kernelMounts('scratch').map((m) => m.fstype)).toEqual(['tmpfs']);
    expect(stored().scratch).toMatchObject({ mountCount: 1, holders: { [PSEUDO_ID]: 1 } });

    const second = podman.detached(['-v', 'scratch:/data', IMAGE, 'sh', '-c', 'cat /data/f > /data/g; sleep 120']);
    await waitFor('the second container\'s file', () => existsSync(join(mp, 'g')));
    expect(JSON.parse(podman.run(['volume', 'inspect', 'scratch']).stdout)[0].MountCount).toBe(2);
    expect(stored().scratch).toMatchObject({ mountCount: 1, holders: { [PSEUDO_ID]: 1 } });
    expect(run('volume', 'mount', 'scratch').code).toBe(0);
    expect(stored().scratch.mountCount).toBe(2);
    expect(kernelMounts('scratch')).toHaveLength(1);

    const [view] = JSON.parse(run('volume', 'inspect', 'scratch').stdout);
    expect(view.UsedBy).toEqual([{ ID: PSEUDO_ID, Mounts: 1, Engine: 'podman' }]);

    const rm = run('volume', 'rm', 'scratch');
    expect(rm.code).toBe(2);
    expect(rm.stderr).toContain("held by podman's containers");
    expect(podman.run(['volume', 'rm', 'scratch']).status).not.toBe(0);

    expect(podman.run(['rm', '-f', '-t', '0', first, second]).status).toBe(0);
    // podman's last container gave its mount back; the window's is still there.
    expect(stored().scratch).toMatchObject({ mountCount: 1 });
    expect(stored().scratch.holders).toBeUndefined();
    expect(kernelMounts('scratch')).toHaveLength(1);
    expect(run('volume', 'unmount', 'scratch').code).toBe(0);
    expect(kernelMounts('scratch')).toEqual([]);
    expect(stored().scratch.mountCount).toBe(0);
  });

  it('finds a volume the command line made with podman volume reload, and podman volume rm removes it', () => {
    expect(run('volume', 'create', '--label', 'made=here', 'made-here').code).toBe(0);
    expect(podman.run(['volume', 'reload']).status).toBe(0);
    const listed = podman.run(['volume', 'ls', '--format', '{{.Driver}} {{.Name}}']).stdout;
    expect(listed).toContain('volume-manager made-here');
    expect(podman.run(['run', '--rm', '--network', 'none', '-v', 'made-here:/data', IMAGE, 'sh', '-c', 'echo hi > /data/x']).status).toBe(0);
    expect(readFileSync(join(state, 'volumes', 'made-here', '_data', 'x'), 'utf8')).toBe('hi\n');
    expect(podman.run(['volume', 'rm', 'made-here']).status).toBe(0);
    expect(stored()['made-here']).toBeUndefined();
  });

  it('loses no holder when the server is killed while a container holds a volume', async () => {
    const c = podman.detached(['-v', 'scratch:/data', IMAGE, 'sleep', '120']);
    expect(stored().scratch).toMatchObject({ mountCount: 1, holders: { [PSEUDO_ID]: 1 } });
    await server.stop('SIGKILL');
    server = await startServer(state, server.socket);
    expect(podman.run(['rm', '-f', '-t', '0', c]).status).toBe(0);
    expect(stored().scratch.mountCount).toBe(0);
    expect(kernelMounts('scratch')).toEqual([]);
  });
});

describeIf(podmanUp() && polkitUp() && sshUp(), 'root, podman, polkitd, the user vmtest and the test sshd (test/setup/provision.sh)')('rootless podman on a server run as the user', () => {
  let t: ReturnType<typeof tempDir>;
  let state: string;
  let podman: Podman;
  let userCli: string;
  let knownHosts: string;
  let key: string;
  const env = () => ({ XDG_RUNTIME_DIR: podman.env.XDG_RUNTIME_DIR!, VOLUME_MANAGER_KNOWN_HOSTS: knownHosts, HOME: `/home/${USER}` });
  const run = (...args: string[]) => cli(state, args, { user: USER, cliPath: userCli, env: env() });
  const stored = () => JSON.parse(readFileSync(join(state, 'volumes.json'), 'utf8')).volumes;

  beforeAll(async () => {
    t = tempDir('vm-rootless-');
    chmodSync(t.dir, 0o755);
    shared(t.dir);
    shared(ELEVATED_ROOT);
    userCli = join(t.dir, 'dist', 'cli.cjs');
    cpSync(dirname(CLI), dirname(userCli), { recursive: true });
    state = join(t.dir, 'state');
    mkdirSync(state);
    chownSync(state, userUid(), userUid());
    key = join(t.dir, 'key');
    copyFileSync(SSH.key, key);
    chmodSync(key, 0o600);
    chownSync(key, userUid(), userUid());
    knownHosts = join(t.dir, 'known_hosts');
    writeFileSync(knownHosts, spawnSync('ssh-keyscan', ['-p', String(SSH.port), '-t', 'ed25519', '127.0.0.1'], { encoding: 'utf8' }).stdout);
    chownSync(knownHosts, userUid(), userUid());
    const socket = join(t.dir, 'podman', 'run', 'volume-manager', 'plugin.sock');
    podman = privatePodman(join(t.dir, 'podman'), { 'volume-manager': socket }, USER);
    writeFileSync(RULE, ruleText('YES'));
    waitForPolkit('allowed');
    // No --socket: a user's default is $XDG_RUNTIME_DIR/volume-manager/plugin.sock.
    const served = await startServer(state, socket, { user: USER, cliPath: userCli, env: env(), implicit: true });
    expect(served.output()).toContain(`on ${socket}\n`);
  });
  afterAll(async () => {
    podman?.cleanup();
    await stopAllServers();
    for (const m of mountsUnder(t.dir).reverse()) if (m.fstype.startsWith('fuse')) spawnSync('fusermount3', ['-uz', m.mountpoint]);
    leaveNothingGranted(state, t);
  });

  it('mounts a tmpfs through polkit for the first container, and only counts it after', async () => {
    expect(podman.run(['volume', 'create', '--driver', 'volume-manager', '--opt', 'type=tmpfs', '--opt', 'device=tmpfs', '--opt', 'o=size=8m', 'rl-tmp']).stderr).toBe('');
    const r = podman.run(['run', '--rm', '--network', 'none', '-v', 'rl-tmp:/data', IMAGE, 'sh', '-c', 'echo rootless > /data/f && grep " /data " /proc/mounts']);
    expect(r.stderr.replace(/.*is not a shared mount.*\n/, '')).toBe('');
    expect(r.stdout).toMatch(/^tmpfs \/data tmpfs /);
    expect(stored()['rl-tmp'].mountCount).toBe(0);
    expect(elevatedMountsOf(state)).toEqual([]);

    // Mounted in the window first, a container only counts it: no prompt, even with polkit saying no.
    expect(run('volume', 'mount', 'rl-tmp').code).toBe(0);
    writeFileSync(RULE, ruleText('NO'));
    waitForPolkit('denied');
    const counted = podman.run(['run', '--rm', '--network', 'none', '-v', 'rl-tmp:/data', IMAGE, 'sh', '-c', 'echo again > /data/g']);
    expect(counted.status).toBe(0);
    expect(stored()['rl-tmp'].mountCount).toBe(1);
    writeFileSync(RULE, ruleText('YES'));
    waitForPolkit('allowed');
    expect(run('volume', 'unmount', 'rl-tmp').code).toBe(0);

    // Not mounted, and polkit refuses: podman says so, with the way around the prompt.
    writeFileSync(RULE, ruleText('NO'));
    waitForPolkit('denied');
    const refused = podman.run(['run', '--rm', '--network', 'none', '-v', 'rl-tmp:/data', IMAGE, 'true']);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('mount rl-tmp in Volume Manager first');
    expect(stored()['rl-tmp'].mountCount).toBe(0);
    writeFileSync(RULE, ruleText('YES'));
    waitForPolkit('allowed');
  });

  it('serves an SSH volume with no elevation at all', () => {
    writeFileSync(RULE, ruleText('NO'));
    waitForPolkit('denied');
    const device = `${SSH.user}@127.0.0.1:${SSH.remote}`;
    expect(podman.run(['volume', 'create', '--driver', 'volume-manager', '--opt', 'type=sshfs', '--opt', `device=${device}`, '--opt', `o=port=${SSH.port},IdentityFile=${key}`, 'rl-ssh']).stderr).toBe('');
    const r = podman.run(['run', '--rm', '--network', 'none', '-v', 'rl-ssh:/data', IMAGE, 'sh', '-c', 'cat /data/README && echo from-rootless > /data/rootless.txt']);
    expect(r.stdout).toBe('served over SFTP\n');
    expect(readFileSync(join(SSH.remote, 'rootless.txt'), 'utf8')).toBe('from-rootless\n');
    expect(stored()['rl-ssh'].mountCount).toBe(0);
    expect(mountsUnder(state)).toEqual([]);
  });
});
