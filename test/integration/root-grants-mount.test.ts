// An approved password prompt grants the mount, and nothing else. Each test is an attack the
// unprivileged user vmtest made on main before this was so, run through sudo-prompt, pkexec
// and the real polkitd with a rule that allows (as when an administrator approves the prompt):
// a fuse type that ran the user's file as root, a root-only image mounted for the user, a bind
// that exported /etc/shadow or imported into a root-owned folder, rbind and propagation flags,
// a source swapped between the check and the mount, and a remount under a running import.

import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildScript } from '../../app/system/elevated-runner.js';
import { archive } from '../helpers/archives.js';
import { cli, cliChild } from '../helpers/cli.js';
import { describeIf, polkitUp } from '../helpers/env.js';
import { mountsUnder, tempDir } from '../helpers/fixtures.js';
import { elevatedDirOf, elevatedMountsOf, RULE, ruleText, USER, userSandbox, userUid, waitForPolkit, leaveNothingGranted } from '../helpers/polkit.js';
import { stoppedDescendant } from '../helpers/processes.js';

describeIf(polkitUp(), 'root, pkexec, a running polkitd and the user vmtest (test/setup/provision.sh)')('an approved prompt grants the mount only', () => {
  let t: ReturnType<typeof tempDir>;
  let state: string;
  let userCli: string;
  /** A directory only root may enter (0700), holding what the user must never reach. */
  let vault: string;
  const run = (args: string[], env?: NodeJS.ProcessEnv) => cli(state, args, { user: USER, cliPath: userCli, env });
  const asUser = (cmd: string) => spawnSync('runuser', ['-u', USER, '--', 'sh', '-c', cmd], { encoding: 'utf8' });
  const mountpointOf = (name: string) => JSON.parse(run(['volume', 'inspect', name]).stdout)[0].Mountpoint as string;
  const storeFile = () => join(state, 'volumes.json');
  /** Writes a record into the user's store behind the engine's back, as any program of the user's could. */
  const forge = (name: string, options: Record<string, string>) => {
    const store = JSON.parse(readFileSync(storeFile(), 'utf8'));
    store.volumes[name] = { name, driver: 'local', options, labels: {}, createdAt: new Date().toISOString(), mountCount: 0 };
    asUser(`printf '%s' '${JSON.stringify(store)}' > '${storeFile()}'`);
  };
  const userDir = (name: string) => {
    const dir = join(t.dir, name);
    mkdirSync(dir);
    chownSync(dir, userUid(), userUid());
    return dir;
  };
  const ext4Image = (name: string, files: Record<string, string>) => {
    const tree = join(t.dir, `${name}-tree`);
    mkdirSync(tree);
    for (const [file, body] of Object.entries(files)) writeFileSync(join(tree, file), body);
    const image = join(t.dir, name);
    expect(spawnSync('mkfs.ext4', ['-q', '-d', tree, image, '8M']).status).toBe(0);
    return image;
  };

  beforeAll(() => {
    t = tempDir('vm-grants-');
    ({ userCli, state } = userSandbox(t));
    vault = join(t.dir, 'vault');
    mkdirSync(join(vault, 'inner'), { recursive: true });
    writeFileSync(join(vault, 'inner', 'secret'), 'root only');
    chmodSync(vault, 0o700);
    writeFileSync(RULE, ruleText('YES'));
    waitForPolkit('allowed');
    expect(run(['volume', 'create', 'plain']).code).toBe(0);
  });
  afterAll(() => leaveNothingGranted(state, t));

  it('never runs a fuse type\'s program: refused at create, and by the root script from a forged store', () => {
    const payload = join(t.dir, 'pay.sh');
    const proof = join(t.dir, 'ran-as-root');
    writeFileSync(payload, `#!/bin/bash\nid -u > ${proof}\n`);
    chmodSync(payload, 0o755);
    for (const type of ['fuse.bash', 'fuse', 'fuseblk', 'proc']) {
      const r = run(['volume', 'create', '--opt', `type=${type}`, '--opt', `device=${payload}`, 'fused']);
      expect(r.code, type).toBe(125);
      expect(r.stderr).toContain('[INVALID_OPTION]');
      if (type.startsWith('fuse')) expect(r.stderr).toContain('FUSE file systems mount without root');
    }
    forge('fused', { type: 'fuse.bash', device: payload });
    const r = run(['volume', 'mount', 'fused']);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('[INVALID_OPTION]');
    expect(existsSync(proof)).toBe(false);
    expect(elevatedMountsOf(state)).toHaveLength(0);
    expect(run(['volume', 'rm', 'fused']).code).toBe(0);
  });

  it('mounts an image only if the user may open it: read-write, or read-only with o=ro', () => {
    const image = ext4Image('root.img', { secret: 'root only' });
    chmodSync(image, 0o600);
    expect(run(['volume', 'create', '--opt', 'type=ext4', '--opt', `device=${image}`, 'rootimg']).code).toBe(0);
    const r = run(['volume', 'mount', 'rootimg']);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('[SOURCE_REFUSED]');
    expect(r.stderr).toContain(image);
    expect(r.stderr).toContain('Permission denied');
    expect(elevatedMountsOf(state)).toHaveLength(0);
    expect(JSON.parse(readFileSync(storeFile(), 'utf8')).volumes.rootimg.mountCount).toBe(0);

    // Readable but not writable by the user: only a read-only mount is the user's to have.
    chmodSync(image, 0o644);
    expect(run(['volume', 'mount', 'rootimg'])).toMatchObject({ code: 125, stderr: expect.stringContaining('[SOURCE_REFUSED]') });
    expect(run(['volume', 'create', '--opt', 'type=ext4', '--opt', `device=${image}`, '--opt', 'o=ro', 'readonly']).code).toBe(0);
    const ro = run(['volume', 'mount', 'readonly']);
    expect(ro.code, ro.stderr).toBe(0);
    expect(readFileSync(join(ro.stdout.trim(), 'secret'), 'utf8')).toBe('root only');
    expect(elevatedMountsOf(state)[0]!.options).toMatch(/(^|,)ro(,|$)/);
    expect(run(['volume', 'unmount', 'readonly']).code).toBe(0);
    for (const name of ['rootimg', 'readonly']) expect(run(['volume', 'rm', name]).code).toBe(0);
  });

  it('binds a folder only if the user may open it, whatever lies behind a directory it cannot enter', () => {
    const inner = join(vault, 'inner');
    chmodSync(inner, 0o755);
    // The engine, as the user, cannot even see it at create; the root script is asked anyway.
    expect(run(['volume', 'create', '--opt', 'type=bind', '--opt', `device=${inner}`, 'hidden'])).toMatchObject({ code: 125, stderr: expect.stringContaining('does not exist') });
    // So the user hands the root script the mount itself, as a tampered process could.
    const target = `${elevatedDirOf(state)}/hidden`;
    const script = join(t.dir, 'hidden.sh');
    writeFileSync(script, buildScript([[{ op: 'mount', via: 'dir', options: ['bind'], source: inner, target }]]));
    chmodSync(script, 0o644);
    const r = spawnSync('runuser', ['-u', USER, '--', 'pkexec', '--disable-internal-agent', '/bin/bash', script], { encoding: 'utf8' });
    expect(r.stdout).toContain(`volume-manager (root): the caller (uid ${userUid()}) cannot open ${inner} for reading: Permission denied`);
    expect(r.stdout).not.toContain('@@vm-ok');
    expect(mountsUnder(elevatedDirOf(state))).toHaveLength(0);
    expect(existsSync(target)).toBe(false);
  });

  it('exports a bound folder with the user\'s rights: a root-only file is named, and nothing is written', () => {
    const etc = join(t.dir, 'etc-like');
    mkdirSync(etc);
    writeFileSync(join(etc, 'hostname'), 'box\n');
    writeFileSync(join(etc, 'shadow'), 'root:$6$hash:19000::::::\n');
    chmodSync(join(etc, 'shadow'), 0o600);
    expect(run(['volume', 'create', '--opt', 'type=bind', '--opt', `device=${etc}`, 'etc']).code).toBe(0);
    expect(run(['volume', 'mount', 'etc']).code).toBe(0);
    const out = join(userDir('exports'), 'etc.tar');
    const r = run(['volume', 'export', '--output', out, 'etc']);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('[ARCHIVE_SOURCE_UNREADABLE]');
    expect(r.stderr).toContain('shadow');
    expect(existsSync(out)).toBe(false);
    const piped = spawnSync('runuser', ['-u', USER, '--', process.execPath, userCli, '--state-dir', state, 'volume', 'export', 'etc'], { encoding: 'latin1', maxBuffer: 1 << 26 });
    expect(piped.stdout).not.toContain('$6$hash');
    expect(run(['volume', 'unmount', 'etc']).code).toBe(0);
    expect(run(['volume', 'rm', 'etc']).code).toBe(0);
  });

  it('imports into a bind only where the user may write: a root-owned folder is left as it was, with and without --replace', () => {
    const owned = join(t.dir, 'root-owned');
    mkdirSync(join(owned, 'config'), { recursive: true });
    writeFileSync(join(owned, 'config', 'keep'), 'root\'s');
    chmodSync(owned, 0o755);
    const before = spawnSync('find', [owned, '-printf', '%P %u %m\\n'], { encoding: 'utf8' }).stdout;
    const file = join(t.dir, 'plant.tar');
    writeFileSync(file, archive([{ path: 'planted', type: 'File', body: 'x' }]));
    chmodSync(file, 0o644);
    expect(run(['volume', 'create', '--opt', 'type=bind', '--opt', `device=${owned}`, 'owned']).code).toBe(0);
    expect(run(['volume', 'mount', 'owned']).code).toBe(0);
    for (const extra of [[], ['--replace']]) {
      const r = run(['volume', 'import', ...extra, 'owned', file]);
      expect(r.code, extra.join(' ')).toBe(125);
      expect(r.stderr).toContain('[PERMISSION_DENIED]');
      expect(spawnSync('find', [owned, '-printf', '%P %u %m\\n'], { encoding: 'utf8' }).stdout).toBe(before);
    }
    expect(run(['volume', 'unmount', 'owned']).code).toBe(0);
    expect(run(['volume', 'rm', 'owned']).code).toBe(0);
  });

  it('refuses rbind and propagation flags at create, and in the root script from a forged store', () => {
    const tree = userDir('tree');
    mkdirSync(join(tree, 'sub'));
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'sub', join(tree, 'sub')]).status).toBe(0);
    try {
      for (const o of ['rbind', 'bind,shared', 'bind,rshared', 'bind,slave', 'bind,private', 'bind,unbindable', 'bind,move', 'bind,remount']) {
        const r = run(['volume', 'create', '--opt', 'type=bind', '--opt', `device=${tree}`, '--opt', `o=${o}`, 'flags']);
        expect(r.code, o).toBe(125);
        expect(r.stderr).toContain('[INVALID_OPTION]');
        forge('flags', { type: 'bind', device: tree, o });
        const m = run(['volume', 'mount', 'flags']);
        expect(m.code, o).toBe(125);
        expect(elevatedMountsOf(state), o).toHaveLength(0);
        expect(run(['volume', 'rm', 'flags']).code).toBe(0);
      }
    } finally {
      spawnSync('umount', [join(tree, 'sub')]);
    }
  });

  it('mounts the object the user opened, though the path is swapped between that open and the mount', async () => {
    const mine = userDir('mine');
    writeFileSync(join(mine, 'whose'), 'the user\'s');
    expect(run(['volume', 'create', '--opt', 'type=bind', '--opt', `device=${mine}`, 'swapped']).code).toBe(0);
    const mounting = cliChild(state, ['volume', 'mount', 'swapped'], { user: USER, cliPath: userCli, env: { VOLUME_MANAGER_TEST_STOP_ELEVATED: '1' } });
    const rootScript = await stoppedDescendant(mounting.pid);
    try {
      // The user's folder goes; root's vault takes its name (as a symlink could, or a rename by root).
      renameSync(mine, `${mine}.away`);
      renameSync(vault, mine);
    } finally {
      process.kill(rootScript, 'SIGCONT');
    }
    const r = await mounting.result;
    try {
      expect(r.code, r.stderr).toBe(0);
      const mp = mountpointOf('swapped');
      expect(readdirSync(mp)).toEqual(['whose']);
      expect(existsSync(join(mp, 'inner'))).toBe(false);
    } finally {
      renameSync(mine, vault);
      renameSync(`${mine}.away`, mine);
    }
    expect(run(['volume', 'unmount', 'swapped']).code).toBe(0);
    expect(run(['volume', 'rm', 'swapped']).code).toBe(0);
  });

  it('abandons an import whose volume is unmounted and remounted writable under it: nothing lands where the stage pointed', async () => {
    expect(run(['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'size=8m', '--opt', 'o=mode=0755', 'raced']).code).toBe(0);
    expect(run(['volume', 'mount', 'raced']).code).toBe(0);
    const mp = mountpointOf('raced');
    const target = join(t.dir, 'root-target');
    mkdirSync(target, { mode: 0o700 });
    // The archive is held back: the import reads it from a pipe the test feeds later.
    const importing = spawn('runuser', ['-u', USER, '--', process.execPath, userCli, '--state-dir', state, 'volume', 'import', 'raced', '-'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    importing.stderr.on('data', (d) => (stderr += d));
    const ended = new Promise<number | null>((done) => importing.on('close', done));
    const stage = await waitFor(() => readdirSync(mp).find((e) => e.startsWith('.volume-manager-import.')));
    // What three approved actions let the user do: unmount, remount with a top anyone may
    // write, and put a symlink where root's stage was.
    expect(spawnSync('umount', ['-l', mp]).status).toBe(0);
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=1777', 'raced', mp]).status).toBe(0);
    expect(asUser(`ln -s '${target}' '${mp}/${stage}'`).status).toBe(0);
    importing.stdin.end(archive([{ path: 'landed', type: 'File', body: 'as root' }]));
    expect(await ended).not.toBe(0);
    expect(stderr).toMatch(/unmounted, remounted or moved|nothing was imported|as it was/i);
    expect(readdirSync(target)).toEqual([]);
    expect(readdirSync(mp)).toEqual([stage]);
    expect(spawnSync('umount', ['-l', mp]).status).toBe(0);
    expect(run(['volume', 'unmount', '--force', 'raced']).code).toBe(0);
    expect(run(['volume', 'rm', 'raced']).code).toBe(0);
  });

  it('leaves no root process, stage or FIFO when the caller is killed during an elevated import, thirty times over', async () => {
    expect(run(['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'size=8m', '--opt', 'o=mode=0755', 'killed']).code).toBe(0);
    expect(run(['volume', 'mount', 'killed']).code).toBe(0);
    const mp = mountpointOf('killed');
    const fifos = () => readdirSync('/tmp').filter((e) => e.startsWith('volume-manager-io-') && statSync(join('/tmp', e)).uid === userUid());
    const fifosBefore = fifos();
    for (let round = 0; round < 30; round++) {
      const importing = spawn('runuser', ['-u', USER, '--', process.execPath, userCli, '--state-dir', state, 'volume', 'import', 'killed', '-'], { stdio: ['pipe', 'ignore', 'ignore'] });
      const ended = new Promise((done) => importing.on('close', done));
      await waitFor(() => readdirSync(mp).find((e) => e.startsWith('.volume-manager-import.')));
      // Half the rounds have fed part of an archive when the kill comes.
      if (round % 2) importing.stdin.write(archive([{ path: `part-${round}`, type: 'File', body: 'x'.repeat(4096) }]).subarray(0, 2048));
      const node = Number(spawnSync('pgrep', ['-u', USER, '-f', `${userCli}.*import killed`], { encoding: 'utf8' }).stdout.trim().split('\n')[0]);
      expect(node).toBeGreaterThan(0);
      process.kill(node, 'SIGKILL');
      await ended;
      await waitFor(() => (rootProcessesIn(mp).length === 0 && readdirSync(mp).length === 0 ? true : undefined), 40_000);
    }
    // The count the killed imports held is given back by the next transfer, which also sweeps
    // the FIFO of a caller killed before root opened it.
    const file = join(t.dir, 'after.tar');
    writeFileSync(file, archive([{ path: 'after', type: 'File', body: 'ok' }]));
    chmodSync(file, 0o644);
    const r = run(['volume', 'import', 'killed', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(mp)).toEqual(['after']);
    expect(fifos()).toEqual(fifosBefore);
    expect(run(['volume', 'unmount', '--force', 'killed']).code).toBe(0);
    expect(mountsUnder(mp)).toHaveLength(0);
    expect(run(['volume', 'rm', 'killed']).code).toBe(0);
  });
});

/** Root's processes whose command line or working directory is inside `dir`. */
function rootProcessesIn(dir: string): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        if (statSync(`/proc/${p}`).uid !== 0) return false;
        const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8');
        let cwd = '';
        try {
          cwd = spawnSync('readlink', [`/proc/${p}/cwd`], { encoding: 'utf8' }).stdout.trim();
        } catch {
          /* gone */
        }
        return cmd.includes(dir) || cwd.startsWith(dir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
