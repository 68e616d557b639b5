// A mount and its record are two writes, to the kernel and to the state; these tests break
// the second one every way it breaks: the process killed (SIGKILL) at each named point, the
// state directory's filesystem full, remounted read-only, and its file made immutable. After
// each, one `volume ls` must leave the counter and the kernel in agreement, both ways, and
// no volume lost.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, type CliResult } from '../helpers/cli.js';
import { hasCommand, needsRoot } from '../helpers/env.js';
import { mountsUnder, tempDir } from '../helpers/fixtures.js';

interface Listed {
  Name: string;
  Mounted: boolean;
  MountCount: number;
  Reconciled?: string;
}

needsRoot()('the state and the kernel after a failure', () => {
  let t: ReturnType<typeof tempDir>;
  let n = 0;
  /** A new state directory, with one tmpfs volume `v` created in it. */
  const fresh = (parent?: string) => {
    const state = join(parent ?? t.dir, `state-${++n}`);
    mkdirSync(state, { recursive: true });
    expect(cli(state, ['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'size=1m', 'v']).code).toBe(0);
    return state;
  };
  const mp = (state: string) => join(state, 'volumes', 'v', '_data');
  const mounted = (state: string) => mountsUnder(state).filter((m) => m.mountpoint === mp(state)).length;
  const stored = (state: string) => JSON.parse(readFileSync(join(state, 'volumes.json'), 'utf8')).volumes.v?.mountCount as number | undefined;
  const ls = (state: string): Listed => {
    const r = cli(state, ['volume', 'ls', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as Listed[]).find((x) => x.Name === 'v')!;
  };
  const killedAt = (state: string, point: string, args: string[]): CliResult => {
    const r = cli(state, args, { env: { VOLUME_MANAGER_TEST_KILL_AT: point } });
    expect(r.code, `${point}: ${r.stderr}`).toBeNull();
    return r;
  };

  beforeAll(() => {
    t = tempDir('vm-fault-');
  });
  afterAll(() => t?.cleanup());

  describe('killed at each step', () => {
    it('before the mount: nothing mounted, nothing counted', () => {
      const s = fresh();
      killedAt(s, 'mount:before-system', ['volume', 'mount', 'v']);
      expect([mounted(s), stored(s)]).toEqual([0, 0]);
      expect(ls(s)).toMatchObject({ Mounted: false, MountCount: 0 });
    });

    it('after the mount, before its record: the next list adopts the mount, and one unmount undoes it', () => {
      const s = fresh();
      killedAt(s, 'mount:after-system', ['volume', 'mount', 'v']);
      expect([mounted(s), stored(s)]).toEqual([1, 0]);
      const v = ls(s);
      expect(v).toMatchObject({ Mounted: true, MountCount: 1 });
      expect(v.Reconciled).toMatch(/adopted with a count of 1/);
      expect(stored(s)).toBe(1);
      expect(cli(s, ['volume', 'unmount', 'v']).code).toBe(0);
      expect([mounted(s), stored(s)]).toEqual([0, 0]);
    });

    it('after the mount, before its record, then unmounted at once: the unmount is not a no-op', () => {
      const s = fresh();
      killedAt(s, 'mount:after-system', ['volume', 'mount', 'v']);
      expect(cli(s, ['volume', 'unmount', 'v']).code).toBe(0);
      expect([mounted(s), stored(s)]).toEqual([0, 0]);
      expect(cli(s, ['volume', 'rm', 'v']).code).toBe(0);
    });

    it('before the unmount: still mounted, still counted', () => {
      const s = fresh();
      expect(cli(s, ['volume', 'mount', 'v']).code).toBe(0);
      killedAt(s, 'unmount:before-system', ['volume', 'unmount', 'v']);
      expect(ls(s)).toMatchObject({ Mounted: true, MountCount: 1 });
      expect(cli(s, ['volume', 'unmount', 'v']).code).toBe(0);
    });

    it('after the unmount, before its record: the next list resets the counter', () => {
      const s = fresh();
      expect(cli(s, ['volume', 'mount', 'v']).code).toBe(0);
      killedAt(s, 'unmount:after-system', ['volume', 'unmount', 'v']);
      expect([mounted(s), stored(s)]).toEqual([0, 1]);
      expect(ls(s)).toMatchObject({ Mounted: false, MountCount: 0 });
      expect(stored(s)).toBe(0);
    });

    it('after making the directory, before the record: no volume, and the name can be created again', () => {
      const state = join(t.dir, `state-${++n}`);
      mkdirSync(state);
      killedAt(state, 'create:after-mkdir', ['volume', 'create', '--opt', 'type=tmpfs', 'v']);
      expect(ls(state)).toBeUndefined();
      expect(cli(state, ['volume', 'create', '--opt', 'type=tmpfs', 'v']).code).toBe(0);
      expect(ls(state)).toMatchObject({ Mounted: false, MountCount: 0 });
    });

    it('sweeps the empty owner file a process killed mid-write left behind', () => {
      const s = fresh();
      const locks = join(s, 'locks');
      const empty = join(locks, 'owner-999999-1');
      writeFileSync(empty, '');
      const old = new Date(Date.now() - 60_000);
      utimesSync(empty, old, old);
      expect(cli(s, ['volume', 'mount', 'v']).code).toBe(0);
      expect(readdirSync(locks)).not.toContain('owner-999999-1');
      expect(cli(s, ['volume', 'unmount', 'v']).code).toBe(0);
    });
  });

  describe('a state directory that cannot be written', () => {
    it('full disk, with no room even for a lock: a guided error, and nothing mounted', () => {
      const disk = join(t.dir, 'small-full');
      mkdirSync(disk);
      expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'small', disk]).status).toBe(0);
      const s = fresh(disk);
      spawnSync('dd', ['if=/dev/zero', `of=${join(disk, 'fill')}`, 'bs=4k']);
      const r = cli(s, ['volume', 'mount', 'v']);
      expect(r.code).toBe(125);
      expect(r.stderr).toContain('[STATE_DISK_FULL]');
      expect(r.stderr).toContain('The disk that holds the volume state is full');
      expect(r.stderr).not.toContain('UNEXPECTED');
      expect([mounted(s), stored(s)]).toEqual([0, 0]);
      expect(readdirSync(join(s, 'locks')).filter((f) => f.startsWith('owner-'))).toEqual([]);
      expect(ls(s)).toMatchObject({ Mounted: false, MountCount: 0 });
    });

    it('full disk after the mount, when the record is written: the mount is undone', () => {
      const disk = join(t.dir, 'small-page');
      mkdirSync(disk);
      expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'small', disk]).status).toBe(0);
      const s = fresh(disk);
      // One free page: enough for this process's lock owner file, not for the new state file.
      writeFileSync(join(disk, 'spacer'), Buffer.alloc(4096));
      spawnSync('dd', ['if=/dev/zero', `of=${join(disk, 'fill')}`, 'bs=4k']);
      rmSync(join(disk, 'spacer'));
      const r = cli(s, ['volume', 'mount', 'v']);
      expect(r.code).toBe(125);
      expect(r.stderr).toContain('[STATE_DISK_FULL]');
      expect(r.stderr).toMatch(/v was mounted, then unmounted again/);
      expect([mounted(s), stored(s)]).toEqual([0, 0]);
      // A create that cannot be recorded takes back the directory it made.
      const c = cli(s, ['volume', 'create', 'w']);
      expect(c.code).toBe(125);
      expect(c.stderr).toContain('[STATE_DISK_FULL]');
      expect(existsSync(join(s, 'volumes', 'w'))).toBe(false);
      rmSync(join(disk, 'fill'));
      expect(ls(s)).toMatchObject({ Mounted: false, MountCount: 0 });
    });

    it('read-only: lists, reports the correction it cannot save, and refuses to mount with a guided error', () => {
      const s = fresh();
      expect(cli(s, ['volume', 'mount', 'v']).code).toBe(0);
      expect(spawnSync('umount', [mp(s)]).status).toBe(0);
      expect(spawnSync('mount', ['--bind', s, s]).status).toBe(0);
      try {
        expect(spawnSync('mount', ['-o', 'remount,bind,ro', s]).status).toBe(0);
        const v = ls(s);
        expect(v).toMatchObject({ Mounted: false, MountCount: 0 });
        expect(v.Reconciled).toMatch(/not saved: .*read-only/i);
        const r = cli(s, ['volume', 'mount', 'v']);
        expect(r.code).toBe(125);
        expect(r.stderr).toContain('[STATE_READ_ONLY]');
        expect(mounted(s)).toBe(0);
        for (const args of [['volume', 'rm', 'v'], ['volume', 'prune', '--force'], ['volume', 'create', 'w']]) {
          const failed = cli(s, args);
          expect(failed.code, args.join(' ')).toBe(125);
          expect(failed.stderr, args.join(' ')).toContain('[STATE_READ_ONLY]');
        }
        expect(existsSync(join(s, 'volumes', 'w'))).toBe(false);
      } finally {
        spawnSync('umount', [s]);
      }
      expect(ls(s)).toMatchObject({ Mounted: false, MountCount: 0 });
      expect(stored(s)).toBe(0);
    });

    it.runIf(hasCommand('chattr'))('immutable store: the mount is undone, and the error says why', () => {
      const s = fresh();
      const file = join(s, 'volumes.json');
      expect(spawnSync('chattr', ['+i', file]).status).toBe(0);
      try {
        const r = cli(s, ['volume', 'mount', 'v']);
        expect(r.code).toBe(125);
        expect(r.stderr).toContain('[STATE_READ_ONLY]');
        expect(r.stderr).toContain('The volume state cannot be changed');
        expect(r.stderr).toMatch(/v was mounted, then unmounted again/);
        expect(mounted(s)).toBe(0);
        expect(ls(s)).toMatchObject({ Mounted: false, MountCount: 0 });
      } finally {
        spawnSync('chattr', ['-i', file]);
      }
    });
  });
});
