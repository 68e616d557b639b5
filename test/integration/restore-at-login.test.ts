// Volumes that come back at login: the mount policy, the XDG autostart entry that exists
// exactly while a volume has the login policy, and `volume restore` run from that entry's
// own Exec line after a simulated new login (every mount gone). A dead SSH server among the
// login volumes fails alone, within its own timeout.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { storeIdOf } from '../../app/system/elevated-targets.js';
import { cli } from '../helpers/cli.js';
import { describeIf, hasCommand, isRoot, SSH, sshUp } from '../helpers/env.js';
import { mountsUnder, tempDir } from '../helpers/fixtures.js';

describeIf(isRoot && sshUp() && hasCommand('desktop-file-validate'), 'root, sshfs, the test sshd and desktop-file-validate (test/setup/provision.sh)')('mount at login', () => {
  let t: ReturnType<typeof tempDir>;
  let state: string;
  let env: NodeJS.ProcessEnv;
  let entry: string;
  const run = (...args: string[]) => cli(state, args, { env });
  const mounted = () => mountsUnder(state).map((m) => m.mountpoint.split('/').at(-2)).sort();

  beforeAll(() => {
    t = tempDir('vm-login-');
    state = join(t.dir, 'state');
    const knownHosts = join(t.dir, 'known_hosts');
    writeFileSync(knownHosts, spawnSync('ssh-keyscan', ['-p', String(SSH.port), '127.0.0.1'], { encoding: 'utf8' }).stdout);
    env = { XDG_CONFIG_HOME: join(t.dir, 'config'), VOLUME_MANAGER_KNOWN_HOSTS: knownHosts };
    entry = join(t.dir, 'config', 'autostart', `volume-manager-restore-${storeIdOf(state)}.desktop`);
  });
  afterAll(() => {
    for (const m of mountsUnder(t.dir).reverse()) spawnSync('umount', ['-l', m.mountpoint]);
    t?.cleanup();
  });

  it('keeps an autostart entry while a volume has the login policy, and it validates', () => {
    const ssh = (port: number) => ['--opt', 'type=sshfs', '--opt', `device=${SSH.user}@127.0.0.1:${SSH.remote}`, '--opt', `o=port=${port},IdentityFile=${SSH.key},ConnectTimeout=3`];
    expect(run('volume', 'create', '--opt', 'type=tmpfs', '--opt', 'size=1m', 'plain-manual').code).toBe(0);
    expect(existsSync(entry)).toBe(false);
    expect(run('volume', 'create', '--mount-at', 'login', '--opt', 'type=tmpfs', '--opt', 'size=1m', 'mem').code).toBe(0);
    expect(existsSync(entry)).toBe(true);
    expect(run('volume', 'create', '--mount-at', 'login', ...ssh(SSH.port), 'remote').code).toBe(0);
    expect(run('volume', 'create', '--mount-at', 'login', ...ssh(2299), 'dead').code).toBe(0);
    expect(run('volume', 'create', '--mount-at', 'sometimes', 'bad').stderr).toContain('--mount-at "sometimes": use manual or login');
    const validated = spawnSync('desktop-file-validate', [entry], { encoding: 'utf8' });
    expect(validated.stdout + validated.stderr).toBe('');
    expect(validated.status).toBe(0);
    expect(JSON.parse(run('volume', 'inspect', 'mem', 'plain-manual').stdout).map((v: { MountAt: string }) => v.MountAt)).toEqual(['login', 'manual']);
  });

  it('restore, run as the entry says after a new login, brings back exactly the login volumes; a dead server fails alone', () => {
    // The session before: everything mounted, then the machine restarted (all mounts gone).
    for (const name of ['mem', 'remote', 'plain-manual']) expect(run('volume', 'mount', name).code).toBe(0);
    spawnSync('umount', [join(state, 'volumes', 'mem', '_data')]);
    spawnSync('umount', [join(state, 'volumes', 'plain-manual', '_data')]);
    spawnSync('fusermount3', ['-u', join(state, 'volumes', 'remote', '_data')]);
    expect(mounted()).toEqual([]);

    const exec = /^Exec=(.*)$/m.exec(readFileSync(entry, 'utf8'))![1]!.split(' ');
    expect(exec.slice(-5)).toEqual(['--state-dir', state, 'volume', 'restore', '--notify']);
    const started = Date.now();
    const r = spawnSync(exec[0]!, exec.slice(1), { encoding: 'utf8', env: { ...process.env, ...env } });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.status).toBe(125);
    expect(r.stdout).toContain('mem: mounted at');
    expect(r.stdout).toContain('remote: mounted at');
    expect(r.stderr).toContain('(dead)');
    expect(r.stderr).toContain('[SSH_UNREACHABLE]');
    expect(mounted()).toEqual(['mem', 'remote']);

    // Again: nothing changes, nothing is counted twice.
    const again = run('volume', 'restore');
    expect(again.stdout).toContain('mem: already mounted');
    expect(again.stdout).toContain('remote: already mounted');
    expect(JSON.parse(run('volume', 'inspect', 'mem', 'remote').stdout).map((v: { MountCount: number }) => v.MountCount)).toEqual([1, 1]);
  });

  it('keeps what failed at login for the window\'s next start, once', async () => {
    const { VolumeEngine } = await import('../../app/volume/engine.js');
    const engine = new VolumeEngine({ stateDir: state });
    expect((await engine.takeRestoreFailures()).map((f) => [f.Name, f.Error!.code])).toEqual([['dead', 'SSH_UNREACHABLE']]);
    expect(engine.takeRestoreFailures()).toEqual([]);
  });

  it('refuses the login policy where the state directory\'s path would break the entry: nothing saved, no entry', () => {
    const odd = join(t.dir, 'state\nExec=touch /tmp/volume-manager-injected');
    const oddEntry = join(t.dir, 'config', 'autostart', `volume-manager-restore-${storeIdOf(odd)}.desktop`);
    const r = cli(odd, ['volume', 'create', '--mount-at', 'login', '--opt', 'type=tmpfs', '--opt', 'size=1m', 'odd'], { env });
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('holds a control character');
    expect(existsSync(oddEntry)).toBe(false);
    expect(cli(odd, ['volume', 'create', 'later'], { env }).code).toBe(0);
    const set = cli(odd, ['volume', 'set', '--mount-at', 'login', 'later'], { env });
    expect(set.code).toBe(125);
    expect(set.stderr).toContain('holds a control character');
    expect(JSON.parse(cli(odd, ['volume', 'inspect', 'later'], { env }).stdout)[0].MountAt).toBe('manual');
    expect(existsSync(oddEntry)).toBe(false);
  });

  it('removes the entry when no volume has the login policy any more', () => {
    expect(run('volume', 'set', '--mount-at', 'manual', 'mem').stdout).toBe('mem: mount at manual\n');
    expect(run('volume', 'set', '--mount-at', 'manual', 'remote').code).toBe(0);
    expect(existsSync(entry)).toBe(true);
    expect(run('volume', 'rm', 'dead').code).toBe(0);
    expect(existsSync(entry)).toBe(false);
    expect(run('volume', 'set', '--mount-at', 'login', 'mem').code).toBe(0);
    expect(existsSync(entry)).toBe(true);
    expect(run('volume', 'set', '--mount-at', 'manual', 'mem').code).toBe(0);
    expect(existsSync(entry)).toBe(false);
    for (const name of ['mem', 'remote']) expect(run('volume', 'unmount', name).code).toBe(0);
  });
});
