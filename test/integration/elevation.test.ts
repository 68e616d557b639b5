// Real elevation, tried as an attacker would: the command line runs as the unprivileged user
// vmtest through sudo-prompt, pkexec and the real polkitd. With a rule that allows, the user
// (or any program running as the user) swaps every path it can write for a symlink to a
// victim, before the mount and while the root script is stopped between its check and its
// act; mounts an image holding a setuid-root shell; and hands mount values that are flags.
// Nothing may be mounted or unmounted anywhere but the volume's own root-owned target.

import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cli, cliChild } from '../helpers/cli.js';
import { describeIf, polkitUp } from '../helpers/env.js';
import { mountsUnder, tempDir } from '../helpers/fixtures.js';
import { elevatedDirOf, elevatedMountsOf, RULE, ruleText, USER, userSandbox, userUid, waitForPolkit, leaveNothingGranted } from '../helpers/polkit.js';
import { stoppedDescendant } from '../helpers/processes.js';

describeIf(polkitUp(), 'root, pkexec, a running polkitd and the user vmtest (test/setup/provision.sh)')('elevation through polkit', () => {
  let t: ReturnType<typeof tempDir>;
  let state: string;
  let userCli: string;
  let victim: string;
  const run = (args: string[]) => cli(state, args, { user: USER, cliPath: userCli });
  const asUser = (cmd: string) => spawnSync('runuser', ['-u', USER, '--', 'sh', '-c', cmd], { encoding: 'utf8' });
  const stored = () => JSON.parse(readFileSync(join(state, 'volumes.json'), 'utf8')).volumes;
  const inspect = (name: string) => JSON.parse(run(['volume', 'inspect', name]).stdout)[0];
  /** Every mount in the machine's table outside the volumes' own root-owned tree, to compare before and after. */
  const mountsElsewhere = () =>
    spawnSync('findmnt', ['-rn', '-o', 'TARGET'], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter((m) => m && !m.startsWith(elevatedDirOf(state)))
      .sort();

  /**
   * As the user, replaces every directory on the way to `target` that the user can change
   * (and, like an attacker that plans ahead, podman's path in the state directory) with a
   * symlink to `to`. Returns the paths it managed to swap.
   */
  const swapAll = (target: string, to: string) => {
    const paths = [join(state, 'volumes', 'user-vol', '_data'), join(state, 'volumes', 'user-vol')];
    for (let p = target; p !== '/'; p = dirname(p)) paths.push(p);
    return paths.filter((p) => asUser(`mkdir -p "$(dirname '${p}')" 2>/dev/null; { [ ! -e '${p}' ] || mv '${p}' '${p}.moved'; } && ln -sn '${to}' '${p}'`).status === 0);
  };

  beforeAll(() => {
    t = tempDir('vm-elev-');
    ({ userCli, state, victim } = userSandbox(t));
    expect(run(['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'size=4m', 'user-vol'])).toMatchObject({ code: 0 });
    writeFileSync(RULE, ruleText('YES'));
    waitForPolkit('allowed');
  });
  afterAll(() => leaveNothingGranted(state, t));

  it('mounts in a root-owned tree, nosuid and nodev, and unmounts, when polkit allows', () => {
    const target = inspect('user-vol').Mountpoint;
    expect(target).toBe(`${elevatedDirOf(state)}/user-vol`);
    const r = run(['volume', 'mount', 'user-vol']);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(target);
    expect(elevatedMountsOf(state).map((m) => [m.mountpoint, m.fstype])).toEqual([[target, 'tmpfs']]);
    expect(elevatedMountsOf(state)[0]!.options).toMatch(/(^|,)nosuid,nodev(,|$)/);
    expect(mountsUnder(state)).toHaveLength(0);
    // Every directory above the target is root's and closed to the user.
    for (let p = dirname(target); p !== '/'; p = dirname(p)) expect(asUser(`touch '${p}/x'`).status, p).not.toBe(0);
    expect(stored()['user-vol'].mountCount).toBe(1);
    expect(run(['volume', 'unmount', 'user-vol']).code).toBe(0);
    expect(elevatedMountsOf(state)).toHaveLength(0);
    expect(existsSync(target)).toBe(false);
    expect(stored()['user-vol'].mountCount).toBe(0);
  });

  it('does not follow a symlink that the user put on the way before the mount', () => {
    const target = inspect('user-vol').Mountpoint;
    const before = mountsElsewhere();
    const swapped = swapAll(target, victim);
    expect(swapped.every((p) => p.startsWith(state))).toBe(true);
    expect(run(['volume', 'mount', 'user-vol']).code).toBe(0);
    expect(elevatedMountsOf(state).map((m) => m.mountpoint)).toEqual([target]);
    expect(mountsElsewhere()).toEqual(before);
    expect(readFileSync(join(victim, 'precious'), 'utf8')).toBe('untouched');
    expect(run(['volume', 'unmount', 'user-vol']).code).toBe(0);
    expect(elevatedMountsOf(state)).toHaveLength(0);
  });

  it('cannot be redirected between its check and its mount, nor its check and its umount', async () => {
    const target = inspect('user-vol').Mountpoint;
    const before = mountsElsewhere();
    const stopping = { user: USER, cliPath: userCli, env: { VOLUME_MANAGER_TEST_STOP_ELEVATED: '1' } };

    const mounting = cliChild(state, ['volume', 'mount', 'user-vol'], stopping);
    const rootScript = await stoppedDescendant(mounting.pid);
    try {
      // The root script has checked the target and made it; now the attacker moves.
      expect(existsSync(target)).toBe(true);
      expect(swapAll(target, victim).every((p) => p.startsWith(state))).toBe(true);
    } finally {
      process.kill(rootScript, 'SIGCONT');
    }
    expect((await mounting.result).code).toBe(0);
    expect(elevatedMountsOf(state).map((m) => m.mountpoint)).toEqual([target]);
    expect(mountsElsewhere()).toEqual(before);

    // A mount that is not the volume's, which the attacker wants unmounted.
    const decoy = join(t.dir, 'decoy');
    mkdirSync(decoy);
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'decoy', decoy]).status).toBe(0);
    const unmounting = cliChild(state, ['volume', 'unmount', 'user-vol'], stopping);
    const rootUmount = await stoppedDescendant(unmounting.pid);
    try {
      expect(swapAll(target, decoy).every((p) => p.startsWith(state))).toBe(true);
    } finally {
      process.kill(rootUmount, 'SIGCONT');
    }
    expect((await unmounting.result).code).toBe(0);
    expect(elevatedMountsOf(state)).toHaveLength(0);
    expect(mountsUnder(decoy).map((m) => m.fstype)).toEqual(['tmpfs']);
    expect(spawnSync('umount', [decoy]).status).toBe(0);
    expect(stored()['user-vol'].mountCount).toBe(0);
  });

  it('refuses, in the root script itself, a tree that is not root-only or holds a symlink', () => {
    // What the user cannot do, an earlier root mistake (or another root program) could: the
    // root script trusts no check made before it runs, and checks the tree again.
    const target = inspect('user-vol').Mountpoint;
    const userDir = dirname(dirname(target));
    const storeDir = dirname(target);
    const before = mountsElsewhere();
    const refused = () => {
      const r = run(['volume', 'mount', 'user-vol']);
      expect(r.code).toBe(125);
      expect(r.stderr).toContain('[TARGET_REFUSED]');
      expect(elevatedMountsOf(state)).toHaveLength(0);
      expect(mountsElsewhere()).toEqual(before);
      expect(stored()['user-vol'].mountCount).toBe(0);
      return r.stderr;
    };
    mkdirSync(userDir, { recursive: true });
    chmodSync(userDir, 0o777);
    try {
      expect(refused()).toMatch(/writable by others than root/);
    } finally {
      chmodSync(userDir, 0o755);
    }
    rmSync(storeDir, { recursive: true, force: true });
    symlinkSync(victim, storeDir);
    try {
      expect(refused()).toMatch(/is not a directory/);
      expect(readFileSync(join(victim, 'precious'), 'utf8')).toBe('untouched');
    } finally {
      rmSync(storeDir);
    }
    expect(run(['volume', 'mount', 'user-vol']).code).toBe(0);
    expect(run(['volume', 'unmount', 'user-vol']).code).toBe(0);
  });

  it('mounts an image the user built without its setuid bits or device nodes', () => {
    // What a user can build with mkfs.ext4 -d and debugfs: a root-owned setuid shell and a
    // device node open to all, for the first loop device.
    const tree = join(t.dir, 'image-tree');
    mkdirSync(tree);
    copyFileSync('/bin/bash', join(tree, 'rootshell'));
    chmodSync(join(tree, 'rootshell'), 0o4755);
    expect(spawnSync('mknod', ['-m', '0666', join(tree, 'loopdev'), 'b', '7', '0']).status).toBe(0);
    const image = join(t.dir, 'evil.ext4');
    expect(spawnSync('mkfs.ext4', ['-q', '-d', tree, image, '16M']).status).toBe(0);
    chownSync(image, userUid(), userUid());

    expect(run(['volume', 'create', '--opt', 'type=ext4', '--opt', `device=${image}`, 'evil']).code).toBe(0);
    const r = run(['volume', 'mount', 'evil']);
    expect(r.stderr).toBe('');
    const mp = r.stdout.trim();
    const [entry] = elevatedMountsOf(state).filter((m) => m.mountpoint === mp);
    expect(entry!.options).toMatch(/(^|,)nosuid,nodev(,|$)/);
    // The shell is there, setuid root, and still runs as the user.
    expect(spawnSync('stat', ['-c', '%u %A', join(mp, 'rootshell')], { encoding: 'utf8' }).stdout.trim()).toBe('0 -rwsr-xr-x');
    expect(asUser(`'${mp}/rootshell' -p -c 'id -u'`).stdout.trim()).toBe(String(userUid()));
    expect(asUser(`head -c 1 '${mp}/loopdev'`).stderr).toMatch(/Permission denied/);
    expect(run(['volume', 'unmount', 'evil']).code).toBe(0);
    expect(run(['volume', 'rm', 'evil']).code).toBe(0);
    expect(elevatedMountsOf(state)).toHaveLength(0);
  });

  it('binds a folder nosuid and nodev too', () => {
    const source = join(t.dir, 'bound');
    mkdirSync(source);
    expect(run(['volume', 'create', '--opt', 'type=bind', '--opt', `device=${source}`, 'bound']).code).toBe(0);
    const r = run(['volume', 'mount', 'bound']);
    expect(r.stderr).toBe('');
    const [entry] = elevatedMountsOf(state).filter((m) => m.mountpoint === r.stdout.trim());
    expect(entry!.options).toMatch(/(^|,)nosuid,nodev(,|$)/);
    expect(run(['volume', 'unmount', 'bound']).code).toBe(0);
    expect(run(['volume', 'rm', 'bound']).code).toBe(0);
    expect(elevatedMountsOf(state)).toHaveLength(0);
  });

  it('refuses a device or type that mount would read as a flag, at create and from a forged state file', () => {
    const before = readFileSync(join(state, 'volumes.json'), 'utf8');
    for (const opts of [['type=tmpfs', 'device=-a'], ['type=tmpfs', 'device=--make-rshared'], ['type=-a', 'device=x']]) {
      const r = run(['volume', 'create', ...opts.flatMap((o) => ['--opt', o]), 'flag']);
      expect(r.code).toBe(125);
      expect(r.stderr).toContain('[INVALID_OPTION]');
      expect(r.stderr).toMatch(/may not start with "-"/);
    }
    expect(readFileSync(join(state, 'volumes.json'), 'utf8')).toBe(before);

    // Written by the user (or a program running as the user) behind the engine's back.
    const forged = JSON.parse(before);
    forged.volumes.forged = { name: 'forged', driver: 'local', options: { type: 'tmpfs', device: '-a' }, labels: {}, createdAt: new Date().toISOString(), mountCount: 0 };
    const forgedText = JSON.stringify(forged);
    asUser(`printf '%s' '${forgedText}' > '${join(state, 'volumes.json')}'`);
    const mountsBefore = mountsElsewhere();
    const r = run(['volume', 'mount', 'forged']);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('[INVALID_OPTION]');
    expect(mountsElsewhere()).toEqual(mountsBefore);
    expect(elevatedMountsOf(state)).toHaveLength(0);
    expect(readFileSync(join(state, 'volumes.json'), 'utf8')).toBe(forgedText);
    expect(run(['volume', 'rm', 'forged']).code).toBe(0);
  });

  it('shows a guided error and changes nothing when polkit denies', () => {
    writeFileSync(RULE, ruleText('NO'));
    waitForPolkit('denied');
    const before = readFileSync(join(state, 'volumes.json'), 'utf8');
    const r = run(['volume', 'mount', 'user-vol']);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('Permission to mount was not granted');
    expect(r.stderr).toContain('User did not grant permission.');
    expect(r.stderr).toContain('[ELEVATION_DENIED]');
    expect(elevatedMountsOf(state)).toHaveLength(0);
    expect(readFileSync(join(state, 'volumes.json'), 'utf8')).toBe(before);
  });

  it('explains a missing polkit agent when no rule decides', () => {
    rmSync(RULE, { force: true });
    waitForPolkit('no-agent');
    const r = run(['volume', 'mount', 'user-vol']);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('No polkit authentication agent found.');
    expect(r.stderr).toContain('[NO_POLKIT_AGENT]');
    expect(elevatedMountsOf(state)).toHaveLength(0);
    expect(stored()['user-vol'].mountCount).toBe(0);
  });
});
