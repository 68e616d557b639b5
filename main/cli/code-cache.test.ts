import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/fixtures.js';
import { cacheSpot, readTrusted } from './code-cache.js';

describe("the command line's code cache", () => {
  const t = tempDir('vm-code-cache-');
  afterAll(() => t.cleanup());
  const uid = process.getuid!();

  it('is keyed by the bundle and the Node that runs it, under the user cache folder', () => {
    const a = cacheSpot({ size: 300_000, mtimeMs: 1.5e12 }, { XDG_CACHE_HOME: '/c' }, '/home/u');
    expect(a).toEqual({ dir: '/c/volume-manager/code-cache', file: `/c/volume-manager/code-cache/cli-300000-1500000000000-${process.version}-${process.arch}.v8` });
    expect(cacheSpot({ size: 300_001, mtimeMs: 1.5e12 }).file).not.toBe(cacheSpot({ size: 300_000, mtimeMs: 1.5e12 }).file);
    // A relative XDG_CACHE_HOME is ignored, as the XDG spec says.
    expect(cacheSpot({ size: 1, mtimeMs: 1 }, { XDG_CACHE_HOME: 'rel' }, '/home/u').dir).toBe('/home/u/.cache/volume-manager/code-cache');
  });

  it('is read only from a folder and a file this user owns and nobody else may write', () => {
    const spot = { dir: join(t.dir, 'cache'), file: join(t.dir, 'cache', 'cli.v8') };
    mkdirSync(spot.dir, { mode: 0o700 });
    writeFileSync(spot.file, 'x', { mode: 0o600 });
    expect(readTrusted(spot, uid)?.toString()).toBe('x');
    // Another user's: refused, as is what others may write.
    expect(readTrusted(spot, uid + 1)).toBeUndefined();
    chmodSync(spot.file, 0o622);
    expect(readTrusted(spot, uid)).toBeUndefined();
    chmodSync(spot.file, 0o600);
    chmodSync(spot.dir, 0o777);
    expect(readTrusted(spot, uid)).toBeUndefined();
    chmodSync(spot.dir, 0o700);
    // A symlink planted in its place, and a cache that is not there.
    const linked = { dir: spot.dir, file: join(spot.dir, 'linked.v8') };
    symlinkSync(spot.file, linked.file);
    expect(readTrusted(linked, uid)).toBeUndefined();
    expect(readTrusted({ dir: spot.dir, file: join(spot.dir, 'none.v8') }, uid)).toBeUndefined();
  });
});
