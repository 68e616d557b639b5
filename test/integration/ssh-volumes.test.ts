// SSH volumes against a real OpenSSH server on 127.0.0.1:2222 (test/setup/provision.sh):
// sshfs mounts and fusermount3 unmounts, as root and as the unprivileged user vmtest with no
// polkit rule at all, so any elevation would fail. Every failure a person can meet (unknown
// host, changed host key, refused key, dead port, missing folder) is tried and must give its
// guided error quickly and leave nothing mounted.

import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, CLI, type CliOptions } from '../helpers/cli.js';
import { describeIf, isRoot, recordedHostLine, SSH, sshUp } from '../helpers/env.js';
import { mountsUnder, tempDir } from '../helpers/fixtures.js';
import { RULE, USER, userUid } from '../helpers/polkit.js';

const DEVICE = `${SSH.user}@127.0.0.1:${SSH.remote}`;

/** The server's ed25519 fingerprint, as ssh-keygen prints it. */
function serverFingerprint(): string {
  const scan = spawnSync('ssh-keyscan', ['-p', String(SSH.port), '-t', 'ed25519', '127.0.0.1'], { encoding: 'utf8' }).stdout;
  return spawnSync('ssh-keygen', ['-lf', '-'], { input: scan, encoding: 'utf8' }).stdout.split(' ')[1]!;
}

describeIf(isRoot && sshUp(), 'root, sshfs and the test sshd on 127.0.0.1:2222 (test/setup/provision.sh)')('SSH volumes', () => {
  let t: ReturnType<typeof tempDir>;
  let fingerprint: string;
  beforeAll(() => {
    t = tempDir('vm-ssh-');
    chmodSync(t.dir, 0o755);
    fingerprint = serverFingerprint();
  });
  afterAll(() => {
    for (const m of mountsUnder(t.dir).reverse()) spawnSync('fusermount3', ['-uz', m.mountpoint]);
    t?.cleanup();
  });

  describe('as root', () => {
    let state: string;
    let key: string;
    let knownHosts: string;
    const run = (...args: string[]) => cli(state, args, { env: { VOLUME_MANAGER_KNOWN_HOSTS: knownHosts } });
    const create = (name: string, o: string, device = DEVICE) => run('volume', 'create', '--opt', 'type=sshfs', '--opt', `device=${device}`, '--opt', `o=${o}`, name);
    beforeAll(() => {
      state = join(t.dir, 'root-state');
      key = join(t.dir, 'root-key');
      knownHosts = join(t.dir, 'root-ssh', 'known_hosts');
      copyFileSync(SSH.key, key);
      chmodSync(key, 0o600);
    });

    it('refuses an unknown host with its fingerprint, trusts it only as confirmed, then mounts, writes, unmounts and removes', () => {
      expect(create('proj', `port=${SSH.port},IdentityFile=${key}`).code).toBe(0);
      const unknown = run('volume', 'mount', 'proj');
      expect(unknown.code).toBe(125);
      expect(unknown.stderr).toContain('[SSH_HOST_UNKNOWN]');
      expect(unknown.stderr).toContain(fingerprint);
      expect(unknown.stderr).toContain(`volume-manager ssh trust proj --fingerprint ${fingerprint}`);
      expect(mountsUnder(state)).toHaveLength(0);

      expect(run('ssh', 'trust', 'proj').stderr).toMatch(/there is no terminal; pass --fingerprint/);
      const wrong = run('ssh', 'trust', '--fingerprint', `SHA256:${'A'.repeat(43)}`, 'proj');
      expect(wrong.code).toBe(125);
      expect(wrong.stderr).toContain('does not offer a key with fingerprint');
      expect(existsSync(knownHosts)).toBe(false);
      expect(run('ssh', 'trust', '--fingerprint', fingerprint, 'proj')).toMatchObject({ code: 0, stdout: `trusted ${fingerprint}\n` });
      // Recorded as OpenSSH records it here: hashed where ssh's configuration says HashKnownHosts.
      expect(readFileSync(knownHosts, 'utf8')).toMatch(recordedHostLine());
      expect(spawnSync('ssh-keygen', ['-F', '[127.0.0.1]:2222', '-f', knownHosts]).status).toBe(0);

      const mounted = run('volume', 'mount', 'proj');
      expect(mounted.stderr).toBe('');
      const mp = mounted.stdout.trim();
      expect(mountsUnder(state).map((m) => [m.mountpoint, m.fstype])).toEqual([[mp, 'fuse.sshfs']]);
      expect(readFileSync(join(mp, 'README'), 'utf8')).toBe('served over SFTP\n');
      writeFileSync(join(mp, 'from-root.txt'), 'written through sshfs');
      expect(readFileSync(join(SSH.remote, 'from-root.txt'), 'utf8')).toBe('written through sshfs');
      expect(JSON.parse(run('volume', 'inspect', 'proj').stdout)[0]).toMatchObject({ Kind: 'sshfs', Mounted: true, MountCount: 1 });
      expect(run('volume', 'unmount', 'proj').code).toBe(0);
      expect(mountsUnder(state)).toHaveLength(0);
      expect(run('volume', 'rm', 'proj').code).toBe(0);
      rmSync(join(SSH.remote, 'from-root.txt'));
    });

    it('warns of a changed host key, and offers no trust for it', () => {
      // What known_hosts would hold if the server had another key before.
      const other = join(t.dir, 'other-host-key');
      spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
      const changed = join(t.dir, 'changed_known_hosts');
      writeFileSync(changed, `[127.0.0.1]:2222 ${readFileSync(`${other}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`);
      const before = readFileSync(changed, 'utf8');
      const runChanged = (...args: string[]) => cli(state, args, { env: { VOLUME_MANAGER_KNOWN_HOSTS: changed } });
      expect(runChanged('volume', 'create', '--opt', 'type=sshfs', '--opt', `device=${DEVICE}`, '--opt', `o=port=${SSH.port},IdentityFile=${key}`, 'moved').code).toBe(0);
      const r = runChanged('volume', 'mount', 'moved');
      expect(r.code).toBe(125);
      expect(r.stderr).toContain('[SSH_HOST_CHANGED]');
      expect(r.stderr).toContain('this may be an attack');
      expect(r.stderr).not.toContain('ssh trust');
      const trust = runChanged('ssh', 'trust', '--fingerprint', fingerprint, 'moved');
      expect(trust.code).toBe(125);
      expect(trust.stderr).toContain('[SSH_HOST_CHANGED]');
      expect(readFileSync(changed, 'utf8')).toBe(before);
      expect(mountsUnder(state)).toHaveLength(0);
      expect(runChanged('volume', 'rm', 'moved').code).toBe(0);
    });

    it('refuses to trust a new key beside a hashed entry for the same host and port', async () => {
      const { hashedName } = await import('../../app/drivers/sshfs/ssh.js');
      const other = join(t.dir, 'hashed-other-key');
      spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
      const hashed = join(t.dir, 'hashed_known_hosts');
      writeFileSync(hashed, `${await hashedName('[127.0.0.1]:2222')} ${readFileSync(`${other}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`);
      const before = readFileSync(hashed, 'utf8');
      const runHashed = (...args: string[]) => cli(state, args, { env: { VOLUME_MANAGER_KNOWN_HOSTS: hashed } });
      expect(runHashed('volume', 'create', '--opt', 'type=sshfs', '--opt', `device=${DEVICE}`, '--opt', `o=port=${SSH.port},IdentityFile=${key}`, 'hashed').code).toBe(0);
      const trust = runHashed('ssh', 'trust', '--fingerprint', fingerprint, 'hashed');
      expect(trust.code).toBe(125);
      expect(trust.stderr).toContain('[SSH_HOST_CHANGED]');
      expect(readFileSync(hashed, 'utf8')).toBe(before);
      const r = runHashed('volume', 'mount', 'hashed');
      expect(r.code).toBe(125);
      expect(r.stderr).toContain('[SSH_HOST_CHANGED]');
      expect(mountsUnder(state)).toHaveLength(0);
      expect(runHashed('volume', 'rm', 'hashed').code).toBe(0);
    });

    it('gives each failure its guided error, quickly, and mounts nothing', () => {
      const stranger = join(t.dir, 'stranger-key');
      spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', stranger]);
      const cases: [string, string, string, string][] = [
        ['wrongkey', `port=${SSH.port},IdentityFile=${stranger}`, DEVICE, 'SSH_AUTH_REFUSED'],
        ['deadport', 'port=2299,ConnectTimeout=3', DEVICE, 'SSH_UNREACHABLE'],
        ['nofolder', `port=${SSH.port},IdentityFile=${key}`, `${SSH.user}@127.0.0.1/srv/volume-manager-test/nope`.replace('1/srv', '1:/srv'), 'SSH_REMOTE_PATH_MISSING'],
      ];
      for (const [name, o, device, code] of cases) {
        expect(create(name, o, device).code, name).toBe(0);
        const started = Date.now();
        const r = run('volume', 'mount', name);
        expect(Date.now() - started, name).toBeLessThan(10_000);
        expect(r.code, name).toBe(125);
        expect(r.stderr, name).toContain(`[${code}]`);
        // A refused connection is a machine that answered with nothing on the port, not a timeout.
        if (name === 'deadport') expect(r.stderr).toContain('127.0.0.1 answered, but nothing listens on port 2299: the SSH server is not running there');
        expect(mountsUnder(state), name).toHaveLength(0);
        expect(run('volume', 'rm', name).code).toBe(0);
      }
    });

    it('says so when the server offers no SFTP, and when sshfs is not installed', async () => {
      // A second sshd of this test's own, without the sftp subsystem, stopped by its PID.
      const conf = join(t.dir, 'nosftp_config');
      const pidFile = join(t.dir, 'nosftp.pid');
      writeFileSync(conf, `ListenAddress 127.0.0.1\nPort 2223\nHostKey /etc/volume-manager-test/ssh/host_ed25519\nAuthorizedKeysFile /etc/volume-manager-test/ssh-authorized/authorized_keys\nPidFile ${pidFile}\nStrictModes no\nUsePAM yes\nPasswordAuthentication no\nAllowUsers vmtest\n`);
      expect(spawnSync('/usr/sbin/sshd', ['-f', conf]).status).toBe(0);
      try {
        for (let i = 0; i < 50 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 100));
        const noSftpHosts = join(t.dir, 'nosftp_known_hosts');
        writeFileSync(noSftpHosts, spawnSync('ssh-keyscan', ['-p', '2223', '127.0.0.1'], { encoding: 'utf8' }).stdout);
        expect(create('nosftp', `port=2223,IdentityFile=${key}`).code).toBe(0);
        const r = cli(state, ['volume', 'mount', 'nosftp'], { env: { VOLUME_MANAGER_KNOWN_HOSTS: noSftpHosts } });
        expect(r.stderr).toContain('subsystem request failed');
        expect(r.code).toBe(125);
        expect(r.stderr).toContain('[SSH_NO_SFTP]');
        expect(mountsUnder(state)).toHaveLength(0);
        expect(run('volume', 'rm', 'nosftp').code).toBe(0);
      } finally {
        process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGTERM');
      }

      expect(create('nosshfs', `port=${SSH.port},IdentityFile=${key}`).code).toBe(0);
      // A PATH with no sshfs on it: the machine as it is before apt-get install sshfs (the
      // command line itself is started by its absolute path).
      const emptyBin = join(t.dir, 'empty-bin');
      mkdirSync(emptyBin, { recursive: true });
      const noSshfs = cli(state, ['volume', 'mount', 'nosshfs'], { env: { VOLUME_MANAGER_KNOWN_HOSTS: knownHosts, PATH: emptyBin } });
      expect(noSshfs.code).toBe(125);
      expect(noSshfs.stderr).toContain('[SSHFS_MISSING]');
      expect(noSshfs.stderr).toContain('sudo apt-get install sshfs');
      expect(run('volume', 'rm', 'nosshfs').code).toBe(0);
    });

    it('works the same through the engine API', async () => {
      const { VolumeEngine } = await import('../../app/volume/engine.js');
      process.env.VOLUME_MANAGER_KNOWN_HOSTS = knownHosts;
      try {
        const engine = new VolumeEngine({ stateDir: state });
        const created = await engine.create({ name: 'api', options: { type: 'sshfs', device: DEVICE, o: `port=${SSH.port},IdentityFile=${key}` } });
        expect(created).toMatchObject({ Kind: 'sshfs', Mounted: false, MountCount: 0 });
        const [m] = await engine.mount(['api']);
        expect(m).toMatchObject({ ok: true, value: { MountCount: 1 } });
        expect(readFileSync(join(m!.value!.Mountpoint, 'README'), 'utf8')).toBe('served over SFTP\n');
        expect((await engine.unmount(['api']))[0]).toMatchObject({ ok: true, value: { MountCount: 0 } });
        expect(mountsUnder(state)).toHaveLength(0);
        expect((await engine.remove(['api']))[0]!.ok).toBe(true);
      } finally {
        delete process.env.VOLUME_MANAGER_KNOWN_HOSTS;
      }
    });

    it('refuses options that run commands, ask for a password or skip host key checks', () => {
      for (const o of ['ssh_command=touch /tmp/x', 'ProxyCommand=nc x 22', 'password_stdin', 'StrictHostKeyChecking=no', 'UserKnownHostsFile=/dev/null', 'port=-1']) {
        const r = create('bad', o);
        expect(r.code, o).toBe(125);
        expect(r.stderr, o).toContain('[INVALID_OPTION]');
      }
      expect(create('bad', 'port=22', '-oProxyCommand=x:/srv').stderr).toContain('[INVALID_OPTION]');
      expect(JSON.parse(run('volume', 'ls', '--format', 'json').stdout)).toEqual([]);
    });
  });

  describe('as the unprivileged user, with no polkit rule', () => {
    let state: string;
    let userCli: string;
    let opts: CliOptions;
    const run = (...args: string[]) => cli(state, args, opts);
    beforeAll(() => {
      // No rule and no agent: an elevation would fail with NO_POLKIT_AGENT.
      rmSync(RULE, { force: true });
      const home = join(t.dir, 'user');
      mkdirSync(home);
      chownSync(home, userUid(), userUid());
      userCli = join(home, 'dist', 'cli.cjs');
      cpSync(dirname(CLI), dirname(userCli), { recursive: true });
      state = join(home, 'state');
      mkdirSync(state);
      chownSync(state, userUid(), userUid());
      const key = join(home, 'key');
      copyFileSync(SSH.key, key);
      chownSync(key, userUid(), userUid());
      chmodSync(key, 0o600);
      opts = { user: USER, cliPath: userCli, env: { VOLUME_MANAGER_KNOWN_HOSTS: join(home, 'known_hosts') } };
      expect(run('volume', 'create', '--opt', 'type=sshfs', '--opt', `device=${DEVICE}`, '--opt', `o=port=${SSH.port},IdentityFile=${key}`, 'mine').code).toBe(0);
    });

    it('mounts nosuid,nodev as the user through FUSE, without asking for anything, and unmounts', () => {
      expect(run('ssh', 'trust', '--fingerprint', fingerprint, 'mine').code).toBe(0);
      const r = run('volume', 'mount', 'mine');
      expect(r.stderr).toBe('');
      const mp = r.stdout.trim();
      expect(mp.startsWith(state)).toBe(true);
      const [entry] = mountsUnder(state);
      expect(entry).toMatchObject({ mountpoint: mp, fstype: 'fuse.sshfs' });
      expect(entry!.options).toMatch(/nosuid/);
      expect(entry!.options).toMatch(/nodev/);
      expect(entry!.options).toContain(`user_id=${userUid()}`);
      const wrote = spawnSync('runuser', ['-u', USER, '--', 'sh', '-c', `echo mine > '${mp}/by-user.txt'`]);
      expect(wrote.status).toBe(0);
      expect(readFileSync(join(SSH.remote, 'by-user.txt'), 'utf8')).toBe('mine\n');
      expect(run('volume', 'unmount', 'mine').code).toBe(0);
      expect(mountsUnder(state)).toHaveLength(0);
      rmSync(join(SSH.remote, 'by-user.txt'));
      expect(run('volume', 'rm', 'mine').code).toBe(0);
    });
  });
});
