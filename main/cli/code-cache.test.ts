import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/fixtures.js';
import { cacheSpot, outdated, readTrusted } from './code-cache.js';

describe("the command line's code cache", () => {
  const t = tempDir('vm-code-cache-');
  afterAll(() => t.cleanup());
  const uid = process.getuid!();

  it('is keyed by the install, the bundle and the Node that runs it, under the user cache folder', () => {
    const a = cacheSpot('/opt/vm/cli-main.cjs', { size: 300_000, mtimeMs: 1.5e12 }, { XDG_CACHE_HOME: '/c' }, '/home/u');
    expect(a.dir).toBe('/c/volume-manager/code-cache');
    expect(a.file).toMatch(new RegExp(`^/c/volume-manager/code-cache/cli-[0-9a-f]{8}-300000-1500000000000-${process.version}-${process.arch}\\.v8$`));
    expect(a.file.startsWith(`${a.dir}/${a.install}`)).toBe(true);
    expect(cacheSpot('/opt/vm/cli-main.cjs', { size: 300_001, mtimeMs: 1.5e12 }).file).not.toBe(cacheSpot('/opt/vm/cli-main.cjs', { size: 300_000, mtimeMs: 1.5e12 }).file);
    // Another install of the same build keeps its own.
    expect(cacheSpot('/home/u/src/dist/cli-main.cjs', { size: 300_000, mtimeMs: 1.5e12 }).install).not.toBe(cacheSpot('/opt/vm/cli-main.cjs', { size: 300_000, mtimeMs: 1.5e12 }).install);
    // A relative XDG_CACHE_HOME is ignored, as the XDG spec says.
    expect(cacheSpot('/x', { size: 1, mtimeMs: 1 }, { XDG_CACHE_HOME: 'rel' }, '/home/u').dir).toBe('/home/u/.cache/volume-manager/code-cache');
  });

  it("gives up an install's earlier builds and caches named before installs had names, never another install's", () => {
    const here = cacheSpot('/opt/vm/cli-main.cjs', { size: 2, mtimeMs: 2 });
    const earlier = cacheSpot('/opt/vm/cli-main.cjs', { size: 1, mtimeMs: 1 });
    const other = cacheSpot('/home/u/src/dist/cli-main.cjs', { size: 1, mtimeMs: 1 });
    const base = (f: string) => f.slice(f.lastIndexOf('/') + 1);
    expect(outdated(base(here.file), here)).toBe(false);
    expect(outdated(base(earlier.file), here)).toBe(true);
    expect(outdated(base(other.file), here)).toBe(false);
    expect(outdated(`cli-308189-1795990120550-${process.version}-${process.arch}.v8`, here)).toBe(true);
    expect(outdated('notes.txt', here)).toBe(false);
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
