import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquire, tryAcquire } from '../../app/state/locks.js';
import { tempDir } from '../helpers/fixtures.js';

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

  it('takes over a lock whose owner died', async () => {
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
    mkdirSync(join(d, 'store.lock'));
    writeFileSync(join(d, 'store.lock', 'owner'), `1 `);
    await expect(acquire(d, 'store', { waitMs: 30 })).rejects.toMatchObject({ code: 'STATE_LOCKED', happened: expect.stringContaining('pid 1') });
  });
});
