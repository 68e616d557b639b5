// volume export and volume import through the command line, as root, with real mounts: a
// 300 MB round trip measured for memory, every hostile archive refused with nothing outside
// the volume changed, the counter kept, a replace that asks, and an import killed with
// SIGKILL halfway that leaves the volume as it was.

import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { archive, hostileArchives } from '../helpers/archives.js';
import { cli, CLI } from '../helpers/cli.js';
import { needsRoot } from '../helpers/env.js';
import { startPlugin } from '../helpers/plugin.js';
import { tempDir } from '../helpers/fixtures.js';

/** Peak memory (kB) GNU time measured for one command line run, and its result. */
function measured(state: string, args: string[]) {
  const r = spawnSync('/usr/bin/time', ['-f', 'maxrss-kb=%M', process.execPath, CLI, '--state-dir', state, ...args], { encoding: 'utf8', cwd: '/' });
  const kb = Number(/maxrss-kb=(\d+)/.exec(r.stderr)?.[1]);
  return { code: r.status, stderr: r.stderr, kb };
}

/**
 * What a tree holds, entry by entry: type, mode, mtime in whole seconds (what a tar in GNU
 * format keeps, as \`tar -cf\` makes it), link target, and each file's hash.
 */
function manifest(dir: string): string {
  const meta = spawnSync('sh', ['-c', `cd "$1" && find . -mindepth 1 -printf '%P\\t%y\\t%m\\t%T@\\t%l\\n' | LC_ALL=C sort`, 'sh', dir], { encoding: 'utf8' });
  const sums = spawnSync('sh', ['-c', `cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum`, 'sh', dir], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return `${meta.stdout.replace(/\t(\d+)\.\d+\t/g, '\t$1\t')}\n${sums.stdout}`;
}

const sha = (path: string) => spawnSync('sha256sum', [path], { encoding: 'utf8' }).stdout.split(' ')[0] ?? '';

needsRoot()('export and import, as root', () => {
  let t: ReturnType<typeof tempDir>;
  let state: string;
  let victim: string;
  let passwd: string;
  const run = (args: string[]) => cli(state, args);
  const inspect = (name: string) => JSON.parse(run(['volume', 'inspect', name]).stdout)[0];
  const mp = (name: string) => inspect(name).Mountpoint as string;
  const victimState = () => readdirSync(victim).map((f) => `${f}=${readFileSync(join(victim, f), 'utf8')}`).join(',');

  beforeAll(() => {
    t = tempDir('vm-archive-');
    state = join(t.dir, 'state');
    victim = join(t.dir, 'victim');
    mkdirSync(victim);
    writeFileSync(join(victim, 'precious'), 'untouched');
    passwd = sha('/etc/passwd');
  });
  afterAll(() => t.cleanup());

  it('round-trips a 300 MB volume of small files, large ones, symlinks, modes and times, in flat memory', () => {
    expect(run(['volume', 'create', 'src'])).toMatchObject({ code: 0 });
    expect(run(['volume', 'create', 'dst'])).toMatchObject({ code: 0 });
    const src = join(state, 'volumes', 'src', '_data');
    const when = (i: number) => new Date(Date.UTC(2020, i % 12, 1 + (i % 27), 12, 0, i % 60));
    const dirs: string[] = [];
    for (let d = 0; d < 100; d++) {
      const dir = join(src, `dir-${d}`, `sub-${d % 7}`);
      mkdirSync(dir, { recursive: true });
      dirs.push(dir, join(src, `dir-${d}`));
      for (let f = 0; f < 150; f++) {
        const file = join(dir, `file-${f}.txt`);
        writeFileSync(file, randomBytes(1024 + ((d * 150 + f) % 7) * 1024));
        chmodSync(file, [0o644, 0o600, 0o640, 0o755][f % 4]!);
        utimesSync(file, when(f), when(f));
      }
      symlinkSync(`sub-${d % 7}/file-0.txt`, join(src, `dir-${d}`, 'first'));
    }
    for (let b = 0; b < 4; b++) {
      const file = join(src, `large-${b}.bin`);
      for (let c = 0; c < 60; c++) writeFileSync(file, randomBytes(1 << 20), { flag: 'a' });
      utimesSync(file, when(b), when(b));
    }
    mkdirSync(join(src, 'private'), { mode: 0o700 });
    symlinkSync('../large-0.bin', join(src, 'private', 'link-up-but-inside'));
    for (const dir of [...dirs.reverse(), join(src, 'private')]) utimesSync(dir, when(3), when(3));
    const size = Number(spawnSync('du', ['-sb', src], { encoding: 'utf8' }).stdout.split('\t')[0]);
    expect(size).toBeGreaterThan(300e6);

    const file = join(t.dir, 'src.tar');
    const out = measured(state, ['volume', 'export', '--output', file, 'src']);
    expect(out.code, out.stderr).toBe(0);
    // GNU tar reads it back, entry for entry.
    const listed = spawnSync('tar', ['-tf', file], { encoding: 'utf8', maxBuffer: 64 << 20 });
    expect(listed.status).toBe(0);
    expect(listed.stdout.split('\n').filter(Boolean)).toHaveLength(100 * (2 + 150 + 1) + 4 + 2);

    const into = measured(state, ['volume', 'import', 'dst', file]);
    expect(into.code, into.stderr).toBe(0);
    expect(manifest(join(state, 'volumes', 'dst', '_data'))).toBe(manifest(src));
    console.log(`300 MB round trip: peak memory of export ${Math.round(out.kb / 1024)} MB, of import ${Math.round(into.kb / 1024)} MB`);
    // The bound the README states: whatever the volume's size, a transfer stays under 150 MB.
    expect(out.kb).toBeLessThan(150 * 1024);
    expect(into.kb).toBeLessThan(150 * 1024);
  }, 240_000);

  it('streams to standard output, and a Ctrl-C halfway through an export to a file leaves no file', async () => {
    const piped = spawnSync('sh', ['-c', `"$1" "$2" --state-dir "$3" volume export src | tar -tf - | wc -l`, 'sh', process.execPath, CLI, state], { encoding: 'utf8' });
    expect(Number(piped.stdout.trim())).toBe(100 * (2 + 150 + 1) + 4 + 2);
    const file = join(t.dir, 'cancelled.tar');
    const child = spawn(process.execPath, [CLI, '--state-dir', state, 'volume', 'export', '--output', file, 'src'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    // Once tar has written into the hidden partial file, as a person would press Ctrl-C.
    const partial = () => readdirSync(t.dir).find((f) => f.startsWith('.cancelled.tar.partial-') && statSync(join(t.dir, f)).size > 0);
    await expect.poll(() => partial() !== undefined || stderr, { timeout: 20_000, interval: 5 }).toBe(true);
    child.kill('SIGINT');
    const code = await new Promise((r) => child.once('close', r));
    expect(code).toBe(125);
    expect(stderr).toContain('[TRANSFER_CANCELLED]');
    expect(readdirSync(t.dir).filter((f) => f.includes('cancelled.tar'))).toEqual([]);
  });

  it('refuses every hostile archive by name, into a directory volume and a mounted tmpfs, and changes nothing', () => {
    expect(run(['volume', 'create', 'target'])).toMatchObject({ code: 0 });
    expect(run(['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'size=8m', 'ram'])).toMatchObject({ code: 0 });
    expect(run(['volume', 'mount', 'ram'])).toMatchObject({ code: 0 });
    for (const [what, h] of Object.entries(hostileArchives(victim))) {
      const file = join(t.dir, 'hostile.tar');
      writeFileSync(file, h.bytes);
      for (const volume of ['target', 'ram']) {
        const r = run(['volume', 'import', volume, file]);
        expect(r.code, `${what} into ${volume}`).toBe(125);
        expect(r.stderr, what).toContain(`[${h.code}]`);
        for (const name of h.names ?? []) expect(r.stderr, what).toContain(name);
        expect(readdirSync(mp(volume)), `${what} left something in ${volume}`).toEqual([]);
      }
      expect(victimState(), what).toBe('precious=untouched');
      expect(sha('/etc/passwd'), what).toBe(passwd);
      expect(existsSync('/etc/volume-manager-planted'), what).toBe(false);
      expect(readdirSync(t.dir).filter((f) => f === 'planted')).toEqual([]);
    }
    expect(inspect('ram')).toMatchObject({ Mounted: true, MountCount: 1 });
    expect(inspect('target').MountCount).toBe(0);
  });

  it('mounts for the transfer only: a mounted volume stays mounted, an unmounted one ends unmounted', () => {
    expect(run(['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'size=8m', 'scratch'])).toMatchObject({ code: 0 });
    const file = join(t.dir, 'small.tar');
    writeFileSync(file, archive([{ path: 'hello', type: 'File', body: 'hi' }]));
    const refused = run(['volume', 'import', 'scratch', file]);
    expect(refused.code).toBe(125);
    expect(refused.stderr).toContain('Mount the volume first');
    expect(inspect('scratch')).toMatchObject({ Mounted: false, MountCount: 0 });

    expect(run(['volume', 'mount', 'scratch'])).toMatchObject({ code: 0 });
    expect(run(['volume', 'import', 'scratch', file])).toMatchObject({ code: 0 });
    expect(inspect('scratch')).toMatchObject({ Mounted: true, MountCount: 1 });
    expect(readFileSync(join(mp('scratch'), 'hello'), 'utf8')).toBe('hi');
    expect(run(['volume', 'unmount', 'scratch'])).toMatchObject({ code: 0 });

    // Unmounted: the export mounts an empty tmpfs, archives it, and unmounts it again.
    const out = join(t.dir, 'scratch.tar');
    expect(run(['volume', 'export', '-o', out, 'scratch'])).toMatchObject({ code: 0 });
    expect(inspect('scratch')).toMatchObject({ Mounted: false, MountCount: 0 });
    // An empty archive, as podman's export of an empty volume: no entry for the volume itself.
    expect(spawnSync('tar', ['-tf', out], { encoding: 'utf8' }).stdout.trim()).toBe('');
  });

  it('asks before replacing what a volume holds, and replaces it all with --replace', () => {
    expect(run(['volume', 'create', 'full'])).toMatchObject({ code: 0 });
    writeFileSync(join(mp('full'), 'old'), 'old data');
    const file = join(t.dir, 'new.tar');
    writeFileSync(file, archive([{ path: 'new', type: 'File', body: 'new data' }]));
    const asked = run(['volume', 'import', 'full', file]);
    expect(asked.code).toBe(125);
    expect(asked.stderr).toContain('full holds 1 file or folder (8 B)');
    // Every file is counted, not only those at the top: 201 files in a folder are not "2 entries".
    mkdirSync(join(mp('full'), 'many'));
    for (let i = 0; i < 200; i++) writeFileSync(join(mp('full'), 'many', `f${i}`), 'x');
    expect(run(['volume', 'import', 'full', file]).stderr).toContain('full holds 202 files and folders (208 B)');
    rmSync(join(mp('full'), 'many'), { recursive: true });
    expect(asked.stderr).toContain('[VOLUME_NOT_EMPTY]');
    expect(readdirSync(mp('full'))).toEqual(['old']);

    const replaced = run(['volume', 'import', '--replace', 'full', file]);
    expect(replaced.code, replaced.stderr).toBe(0);
    // Silent on success, as podman is, where standard error is no terminal.
    expect(replaced.stderr).toBe('');
    expect(readdirSync(mp('full'))).toEqual(['new']);
  });

  it('never overwrites an export file unless told, and never leaves a partial one', () => {
    const file = join(t.dir, 'keep.tar');
    writeFileSync(file, 'mine');
    const r = run(['volume', 'export', '-o', file, 'full']);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('[ARCHIVE_EXISTS]');
    expect(readFileSync(file, 'utf8')).toBe('mine');
    expect(run(['volume', 'export', '--force', '-o', file, 'full'])).toMatchObject({ code: 0 });
    expect(spawnSync('tar', ['-tf', file], { encoding: 'utf8' }).stdout.split('\n')).toContain('new');
    expect(readdirSync(t.dir).filter((f) => f.includes('.partial-'))).toEqual([]);
    expect(run(['volume', 'export', 'nope'])).toMatchObject({ code: 125 });
  });

  it('says when an archive does not fit, with both sizes, before writing anything, and when it runs out on the way', () => {
    expect(run(['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'size=1m', 'tiny'])).toMatchObject({ code: 0 });
    expect(run(['volume', 'mount', 'tiny'])).toMatchObject({ code: 0 });
    const file = join(t.dir, 'three-mb.tar');
    writeFileSync(file, archive([{ path: 'big', type: 'File', body: 'q'.repeat(3 << 20) }]));
    const known = run(['volume', 'import', 'tiny', file]);
    expect(known.code).toBe(125);
    expect(known.stderr).toContain('[VOLUME_FULL]');
    expect(known.stderr).toMatch(/the archive holds 3\.1 MB; tiny has 1\.0 MB free/);
    expect(readdirSync(mp('tiny'))).toEqual([]);
    // Through standard input the size is not known ahead: tar runs out of space, and the
    // staged part is taken back.
    const r = spawnSync(process.execPath, [CLI, '--state-dir', state, 'volume', 'import', 'tiny', '-'], { input: readFileSync(file), encoding: 'utf8' });
    expect(r.status).toBe(125);
    expect(r.stderr).toContain('[VOLUME_FULL]');
    expect(r.stderr).toMatch(/No space left on device|Wrote only \d+ of \d+ bytes/);
    expect(readdirSync(mp('tiny'))).toEqual([]);
  });

  it('refuses a second transfer of a volume while one runs', async () => {
    expect(run(['volume', 'create', 'one-at-a-time'])).toMatchObject({ code: 0 });
    const file = join(t.dir, 'held.tar');
    writeFileSync(file, archive([{ path: 'f', type: 'File', body: 'h'.repeat(1 << 20) }]));
    // The first one, fed through standard input, holds still at its first bytes
    // (fault-points.ts) until it is stopped.
    const first = spawn(process.execPath, [CLI, '--state-dir', state, 'volume', 'import', 'one-at-a-time', '-'], { stdio: ['pipe', 'ignore', 'pipe'], env: { ...process.env, VOLUME_MANAGER_TEST_HOLD_TRANSFER_AT: '1' } });
    let firstErr = '';
    first.stderr.on('data', (d) => (firstErr += d));
    first.stdin.on('error', () => undefined);
    first.stdin.end(readFileSync(file));
    await expect.poll(() => existsSync(join(state, 'locks', 'transfer-one-at-a-time.lock')) || firstErr, { timeout: 10_000 }).toBe(true);
    const second = run(['volume', 'export', '-o', join(t.dir, 'second.tar'), 'one-at-a-time']);
    expect(second.code).toBe(125);
    expect(second.stderr).toContain('[VOLUME_BUSY]');
    first.kill('SIGINT');
    await new Promise((r) => first.once('close', r));
    expect(firstErr).toContain('[TRANSFER_CANCELLED]');
    expect(readdirSync(mp('one-at-a-time'))).toEqual([]);
    expect(run(['volume', 'export', '-o', join(t.dir, 'second.tar'), 'one-at-a-time'])).toMatchObject({ code: 0 });
  });

  it('round-trips a plugin volume, mounted for the transfer through the plugin and unmounted after', async () => {
    const sockets = join(t.dir, 'plugins');
    mkdirSync(sockets);
    const plugin = await startPlugin({ listen: `unix://${join(sockets, 'archiver.sock')}`, root: join(t.dir, 'plugin-root') });
    try {
      const p = (args: string[]) => cli(state, ['--plugin-socket-dir', sockets, ...args]);
      expect(p(['volume', 'create', '--driver', 'archiver', 'remote'])).toMatchObject({ code: 0 });
      const file = join(t.dir, 'plugin.tar');
      writeFileSync(file, archive([{ path: 'notes', type: 'Directory' }, { path: 'notes/today', type: 'File', body: 'from the archive' }]));
      const r = p(['volume', 'import', 'remote', file]);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(p(['volume', 'inspect', 'remote']).stdout)[0]).toMatchObject({ MountCount: 0 });
      const out = join(t.dir, 'plugin-out.tar');
      expect(p(['volume', 'export', '-o', out, 'remote'])).toMatchObject({ code: 0 });
      expect(spawnSync('tar', ['-xOf', out, 'notes/today'], { encoding: 'utf8' }).stdout).toBe('from the archive');
      const calls = plugin.calls().map((c) => c.call);
      expect(calls.filter((c) => c === 'VolumeDriver.Mount')).toHaveLength(2);
      expect(calls.filter((c) => c === 'VolumeDriver.Unmount')).toHaveLength(2);
    } finally {
      await plugin.stop();
    }
  });

  it('a kill -9 halfway through an import leaves the volume as it was, and the next transfer gives back its count', async () => {
    expect(run(['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'size=32m', 'victim-vol'])).toMatchObject({ code: 0 });
    expect(run(['volume', 'mount', 'victim-vol'])).toMatchObject({ code: 0 });
    writeFileSync(join(mp('victim-vol'), 'before'), 'kept');
    const feed = join(t.dir, 'feed.tar');
    writeFileSync(feed, archive([{ path: 'half', type: 'File', body: 'z'.repeat(4 << 20) }]));
    const child = spawn(process.execPath, [CLI, '--state-dir', state, 'volume', 'import', '--replace', 'victim-vol', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
    child.stdin.on('error', () => undefined);
    child.stdin.write(readFileSync(feed).subarray(0, 1 << 20));
    // Wait until tar has started staging, then kill the command line at its worst moment.
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const staging = () => readdirSync(mp('victim-vol')).some((f) => f.startsWith('.volume-manager-import.'));
    // The command line's stderr shows in the failure, should it end before its kill.
    await expect.poll(() => staging() || stderr, { timeout: 10_000 }).toBe(true);
    expect(inspect('victim-vol').MountCount).toBe(2);
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    expect(readFileSync(join(mp('victim-vol'), 'before'), 'utf8')).toBe('kept');

    const r = run(['volume', 'export', '-o', join(t.dir, 'after-kill.tar'), 'victim-vol']);
    expect(r.code, r.stderr).toBe(0);
    const listed = spawnSync('tar', ['-tf', join(t.dir, 'after-kill.tar')], { encoding: 'utf8' }).stdout;
    expect(listed.split('\n')).toContain('before');
    expect(listed).not.toContain('volume-manager-import');
    // The killed import's count was given back: mounted once, by the person.
    expect(inspect('victim-vol')).toMatchObject({ Mounted: true, MountCount: 1 });
    // The next import clears what the killed one staged.
    writeFileSync(feed, archive([{ path: 'after', type: 'File', body: 'a' }]));
    expect(run(['volume', 'import', '--replace', 'victim-vol', feed])).toMatchObject({ code: 0 });
    expect(readdirSync(mp('victim-vol'))).toEqual(['after']);
    expect(statSync(mp('victim-vol')).isDirectory()).toBe(true);
  });
  it('keeps a folder of the person\'s that is named like a stage: exported, counted, imported, never deleted', () => {
    expect(run(['volume', 'create', 'named-like'])).toMatchObject({ code: 0 });
    expect(run(['volume', 'create', 'named-copy'])).toMatchObject({ code: 0 });
    const src = mp('named-like');
    for (const dir of ['.volume-manager-import.mine', '.volume-manager-aside.mine']) {
      mkdirSync(join(src, dir));
      writeFileSync(join(src, dir, 'notes'), dir);
    }
    const file = join(t.dir, 'named-like.tar');
    expect(run(['volume', 'export', '--output', file, 'named-like'])).toMatchObject({ code: 0 });
    const listed = spawnSync('tar', ['-tf', file], { encoding: 'utf8' }).stdout;
    expect(listed.split('\n')).toContain('.volume-manager-import.mine/notes');
    expect(listed.split('\n')).toContain('.volume-manager-aside.mine/notes');
    // Not empty: an import asks before replacing the two folders, and leaves them be.
    expect(run(['volume', 'import', 'named-like', file])).toMatchObject({ code: 125, stderr: expect.stringContaining('[VOLUME_NOT_EMPTY]') });
    expect(readFileSync(join(src, '.volume-manager-import.mine', 'notes'), 'utf8')).toBe('.volume-manager-import.mine');
    expect(run(['volume', 'import', 'named-copy', file])).toMatchObject({ code: 0 });
    expect(readdirSync(mp('named-copy')).sort()).toEqual(['.volume-manager-aside.mine', '.volume-manager-import.mine']);
    expect(manifest(mp('named-copy'))).toBe(manifest(src));
  });
});
