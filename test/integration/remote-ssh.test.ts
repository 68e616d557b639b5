// Another machine over SSH, as podman's --url reaches one: the tests' own sshd on loopback
// (127.0.0.1:2222, test/setup/provision.sh) logs in as vmtest, whose engine there mounts a
// tmpfs through the real polkitd with an allowing rule. The command line runs here as root, with
// its own known_hosts, configuration and runtime folders; the far side runs the bundle it
// copied into vmtest's cache, with vmtest's own state directory.

import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tryAcquire } from '../../app/state/locks.js';
import { bundleId } from '../../main/shared/remote/far-side.js';
import { CLI } from '../helpers/cli.js';
import { describeIf, polkitUp, SSH, sshUp } from '../helpers/env.js';
import { tempDir } from '../helpers/fixtures.js';
import { elevatedMountsOf, leaveNothingGranted, RULE, ruleText, USER, userUid, waitForPolkit } from '../helpers/polkit.js';
import { dirname } from 'node:path';

const URL = `ssh://${SSH.user}@127.0.0.1:${SSH.port}`;
const cache = () => join('/home', USER, '.cache', 'volume-manager', `bundle-${bundleId(dirname(CLI))}`);

describeIf(polkitUp() && sshUp(), 'root, polkitd, the user vmtest and the test sshd on 127.0.0.1:2222 (test/setup/provision.sh)')('volumes on another machine, over SSH', () => {
  let t: ReturnType<typeof tempDir>;
  let far: string;
  let key: string;
  let env: NodeJS.ProcessEnv;
  const run = (args: string[], more: { input?: string } = {}) => {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, cwd: '/', input: more.input ?? '' });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const there = (...args: string[]) => run(['--url', URL, '--identity', key, '--state-dir', far, ...args]);
  const stored = () => (existsSync(join(far, 'volumes.json')) ? JSON.parse(readFileSync(join(far, 'volumes.json'), 'utf8')).volumes : {});
  const fingerprint = () => spawnSync('sh', ['-c', `ssh-keyscan -p ${SSH.port} -t ed25519 127.0.0.1 2>/dev/null | ssh-keygen -lf - | cut -d' ' -f2`], { encoding: 'utf8' }).stdout.trim();

  beforeAll(() => {
    t = tempDir('vm-remote-');
    chmodSync(t.dir, 0o755);
    far = join(t.dir, 'far-state');
    mkdirSync(far);
    chownSync(far, userUid(), userUid());
    key = join(t.dir, 'key');
    copyFileSync(SSH.key, key);
    chmodSync(key, 0o600);
    for (const d of ['config', 'run']) mkdirSync(join(t.dir, d), { mode: 0o700 });
    env = { VOLUME_MANAGER_KNOWN_HOSTS: join(t.dir, 'known_hosts'), XDG_CONFIG_HOME: join(t.dir, 'config'), XDG_RUNTIME_DIR: join(t.dir, 'run') };
    rmSync(cache(), { recursive: true, force: true });
    writeFileSync(RULE, ruleText('YES'));
    waitForPolkit('allowed');
  });
  afterAll(() => {
    // The SSH master kept open for the next command ends with the test.
    spawnSync('pkill', ['-f', `ControlPath=${join(t.dir, 'run')}`]);
    leaveNothingGranted(far, t);
  });

  it('refuses an unknown host key with its fingerprint, and runs nothing there', () => {
    const r = there('volume', 'create', 'never');
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('[SSH_HOST_UNKNOWN]');
    expect(r.stderr).toContain(fingerprint());
    expect(r.stderr).toContain(`volume-manager ssh trust --url '${URL}' --fingerprint ${fingerprint()}`);
    expect(stored()).toEqual({});
    expect(existsSync(cache())).toBe(false);
  });

  it('trusts the host as confirmed, copies the app there once, and reuses it', () => {
    expect(run(['ssh', 'trust', '--url', URL, '--fingerprint', fingerprint()])).toMatchObject({ code: 0, stdout: `trusted ${fingerprint()}\n` });
    expect(there('volume', 'create', '--opt', 'type=tmpfs', '--opt', 'size=8m', 'scratch')).toMatchObject({ code: 0, stdout: 'scratch\n' });
    const copied = statSync(join(cache(), 'cli.cjs'));
    expect(copied.uid).toBe(userUid());
    expect(there('volume', 'ls')).toMatchObject({ code: 0, stdout: 'DRIVER      VOLUME NAME\nlocal       scratch\n' });
    expect(statSync(join(cache(), 'cli.cjs')).ino).toBe(copied.ino);
    expect(stored().scratch).toMatchObject({ driver: 'local', options: { type: 'tmpfs', size: '8m' } });
  });

  it('mounts there through that machine\'s polkit, exports to a file here, imports back, unmounts and removes', () => {
    const mounted = there('volume', 'mount', 'scratch');
    expect(mounted.stderr).toBe('');
    expect(mounted.code).toBe(0);
    expect(elevatedMountsOf(far).map((m) => m.fstype)).toEqual(['tmpfs']);
    const mp = mounted.stdout.trim();
    spawnSync('runuser', ['-u', USER, '--', 'sh', '-c', `echo far > '${mp}/note'`]);
    const file = join(t.dir, 'scratch.tar');
    expect(there('volume', 'export', '--output', file, 'scratch')).toMatchObject({ code: 0, stderr: '' });
    expect(spawnSync('tar', ['-xOf', file, 'note'], { encoding: 'utf8' }).stdout).toBe('far\n');
    expect(there('volume', 'create', 'copy').code).toBe(0);
    expect(there('volume', 'import', 'copy', file)).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(join(far, 'volumes', 'copy', '_data', 'note'), 'utf8')).toBe('far\n');
    const again = there('volume', 'import', 'copy', file);
    expect(again.code).toBe(125);
    expect(again.stderr).toContain('[VOLUME_NOT_EMPTY]');
    expect(there('volume', 'inspect', '--format', '{{.Mounted}} {{.MountCount}}', 'scratch').stdout).toBe('true 1\n');
    expect(there('volume', 'unmount', 'scratch')).toMatchObject({ code: 0, stdout: 'scratch\n' });
    expect(elevatedMountsOf(far)).toEqual([]);
    expect(there('volume', 'rm', 'scratch', 'copy')).toMatchObject({ code: 0, stdout: 'scratch\ncopy\n' });
    expect(stored()).toEqual({});
    // Errors are those of a local run, with the machine named.
    const missing = there('volume', 'rm', 'gone');
    expect(missing.code).toBe(1);
    expect(missing.stderr.split('\n').slice(0, 2)).toEqual(['Error: no volume with name "gone" found: no such volume', `No such volume (gone on ${SSH.user}@127.0.0.1:${SSH.port})`]);
  });

  it('keeps named connections, a default for --remote, and their identity', () => {
    expect(run(['connection', 'add', '--identity', key, 'lab', URL])).toMatchObject({ code: 0 });
    expect(run(['connection', 'add', 'other', 'ssh://someone@192.0.2.1'])).toMatchObject({ code: 0 });
    expect(JSON.parse(run(['connection', 'ls', '--format', 'json']).stdout)).toEqual([
      { Name: 'lab', URI: URL, Identity: key, Default: true },
      { Name: 'other', URI: 'ssh://someone@192.0.2.1', Identity: '', Default: false },
    ]);
    expect(statSync(join(t.dir, 'config', 'volume-manager', 'connections.json')).mode & 0o777).toBe(0o600);
    expect(run(['--connection', 'lab', '--state-dir', far, 'volume', 'create', 'named']).code).toBe(0);
    expect(run(['--remote', '--state-dir', far, 'volume', 'ls', '-q']).stdout).toBe('named\n');
    expect(run(['connection', 'default', 'other']).code).toBe(0);
    expect(run(['connection', 'rm', 'other']).code).toBe(0);
    expect(run(['--remote', 'volume', 'ls']).stderr).toContain('no default connection');
    expect(run(['connection', 'add', 'bad', 'ssh://-oProxyCommand=id@x']).code).toBe(125);
    expect(run(['--connection', 'lab', '--state-dir', far, 'volume', 'rm', 'named']).code).toBe(0);
  });

  it('says so when the connection is killed mid-call, and nothing is done there', async () => {
    expect(there('volume', 'create', '--opt', 'type=tmpfs', 'slow').code).toBe(0);
    // Holding the volume's lock there keeps the far side's mount waiting while the connection dies.
    const release = (await tryAcquire(join(far, 'locks'), 'volume-slow'))!;
    const child = spawn(process.execPath, [CLI, '--url', URL, '--identity', key, '--state-dir', far, 'volume', 'mount', 'slow'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const serving = () => spawnSync('pgrep', ['-u', USER, '-f', 'remote serve'], { encoding: 'utf8' }).stdout.trim();
    await expect.poll(serving, { timeout: 15_000 }).not.toBe('');
    // The local end of the session: the ssh that carries this command's calls.
    spawnSync('pkill', ['-KILL', '-P', String(child.pid), '-x', 'ssh']);
    const code = await new Promise((r) => child.once('close', r));
    expect(code).toBe(125);
    expect(stderr).toContain('[REMOTE_LOST]');
    await expect.poll(serving, { timeout: 15_000 }).toBe('');
    await release();
    expect(stored().slow.mountCount).toBe(0);
    expect(elevatedMountsOf(far)).toEqual([]);
    expect(there('volume', 'rm', 'slow').code).toBe(0);
  });

  it('leaves no half archive here and no half import there when the connection dies mid-transfer', async () => {
    expect(there('volume', 'create', 'big').code).toBe(0);
    expect(there('volume', 'create', 'into').code).toBe(0);
    spawnSync('runuser', ['-u', USER, '--', 'sh', '-c', `head -c 268435456 /dev/zero > '${join(far, 'volumes', 'big', '_data', 'zeros')}'`]);
    const killMidway = async (args: string[], started: () => boolean) => {
      const child = spawn(process.execPath, [CLI, '--url', URL, '--identity', key, '--state-dir', far, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
      await expect.poll(started, { timeout: 20_000, interval: 20 }).toBe(true);
      spawnSync('pkill', ['-KILL', '-P', String(child.pid), '-x', 'ssh']);
      return new Promise<number | null>((r) => child.once('close', r));
    };
    const file = join(t.dir, 'big.tar');
    const partials = () => readdirSync(t.dir).filter((f) => f.startsWith('.big.tar.partial-'));
    // The partial file is opened before the ssh starts: only bytes in it say the stream is flowing.
    const flowing = () => partials().some((f) => (statSync(join(t.dir, f), { throwIfNoEntry: false })?.size ?? 0) > 0);
    expect(await killMidway(['volume', 'export', '--output', file, 'big'], flowing)).not.toBe(0);
    expect(existsSync(file)).toBe(false);
    expect(partials()).toEqual([]);

    // A whole archive, sent and cut off on the way: the far side stages it, and takes it back.
    const whole = join(t.dir, 'whole.tar');
    expect(there('volume', 'export', '--output', whole, 'big').code).toBe(0);
    const staging = () => spawnSync('sh', ['-c', `ls -a '${join(far, 'volumes', 'into', '_data')}' | grep -c volume-manager-import`], { encoding: 'utf8' }).stdout.trim() !== '0';
    expect(await killMidway(['volume', 'import', 'into', whole], staging)).not.toBe(0);
    await expect.poll(() => spawnSync('pgrep', ['-u', USER, '-f', 'volume import'], { encoding: 'utf8' }).stdout.trim(), { timeout: 15_000 }).toBe('');
    expect(there('volume', 'import', 'into', whole)).toMatchObject({ code: 0 });
    expect(statSync(join(far, 'volumes', 'into', '_data', 'zeros')).size).toBe(268435456);
    expect(there('volume', 'rm', 'big', 'into').code).toBe(0);
  });

  it('drops a far side that answers garbage or hostile JSON, and prints none of it', () => {
    expect(there('volume', 'create', 'kept').code).toBe(0);
    const entry = join(cache(), 'cli.cjs');
    const real = readFileSync(entry);
    try {
      // Another program in the app's place there: what the far user's files may hold.
      const hostile = (answer: string) =>
        writeFileSync(entry, `process.stdin.once('data', () => { process.stdout.write(${JSON.stringify(answer)} + '\\n'); setTimeout(() => process.exit(0), 200); });\n`);
      hostile('this is not JSON');
      const garbage = there('volume', 'ls');
      expect(garbage.code).toBe(125);
      expect(garbage.stderr).toContain('[REMOTE_INVALID]');
      hostile(JSON.stringify({ id: 1, envelope: { ok: true, value: [{ Name: '\u001b]0;owned\u0007', Driver: 'local', Mountpoint: '/', CreatedAt: 'x', Labels: {}, Options: {}, Scope: 'local', MountCount: 0, Mounted: false, MountAt: 'manual', NeedsMount: false, Kind: 'directory' }] } }));
      const escape = there('volume', 'ls');
      expect(escape.code).toBe(125);
      expect(escape.stderr).toContain('control character');
      expect(escape.stdout + escape.stderr).not.toContain('\u001b');
      hostile(JSON.stringify({ id: 1, envelope: { ok: false, error: { code: 'x; rm -rf /', title: 't', happened: 'h', why: 'w', steps: [] } } }));
      expect(there('volume', 'ls').stderr).toContain('is not an error code');
    } finally {
      writeFileSync(entry, real);
    }
    expect(there('volume', 'ls', '-q').stdout).toBe('kept\n');
    expect(there('volume', 'rm', 'kept').code).toBe(0);
  });
});
