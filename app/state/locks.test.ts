import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquire, tryAcquire } from './locks.js';
import { tempDir } from '../../test/helpers/fixtures.js';

let cleanup = () => {};
afterEach(() => cleanup());
const dir = () => {
  const t = tempDir();
  cleanup = t.cleanup;
  return t.dir;
};

describe('cross-process locks', () => {
  it('excludes a second holder until the first releases', async () => {
    const d = dir();
    const release = await acquire(d, 'volume-a', { waitMs: 100 });
    expect(await tryAcquire(d, 'volume-a')).toBeNull();
    await expect(acquire(d, 'volume-a', { waitMs: 50 })).rejects.toMatchObject({ code: 'STATE_LOCKED' });
    await release();
    const again = await tryAcquire(d, 'volume-a');
    expect(again).not.toBeNull();
    await again!();
  });

  it('takes over a lock whose owner died, and sweeps its owner file', async () => {
    const d = dir();
    const dead = spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout.trim();
    writeFileSync(join(d, `owner-${dead}-1`), `${dead} 1`);
    linkSync(join(d, `owner-${dead}-1`), join(d, 'store.lock'));
    const release = await acquire(d, 'store', { waitMs: 100 });
    expect(readFileSync(join(d, 'store.lock'), 'utf8')).toMatch(new RegExp(`^${process.pid} `));
    await release();
    expect(existsSync(join(d, 'store.lock'))).toBe(false);
    expect(readdirSync(d).filter((f) => f.includes(dead))).toEqual([]);
  });

  it('takes over a directory lock left by an earlier version whose owner died', async () => {
    const d = dir();
    // A real process that has exited: its pid is the owner of a lock left behind.
    const dead = spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout.trim();
    mkdirSync(join(d, 'store.lock'));
    writeFileSync(join(d, 'store.lock', 'owner'), `${dead} 1`);
    const release = await acquire(d, 'store', { waitMs: 100 });
    await release();
  });

  it('waits for a live owner in another process', async () => {
    const d = dir();
    writeFileSync(join(d, 'store.lock'), `1 `);
    await expect(acquire(d, 'store', { waitMs: 30 })).rejects.toMatchObject({ code: 'STATE_LOCKED', happened: expect.stringContaining('pid 1') });
  });
});
