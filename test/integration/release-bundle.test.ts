// The release bundle (what npm run dist packages) holds none of the tests' hooks: not the
// variables that arm them, and not the SIGSTOP that would hand a user the window between the
// root script's check and its act (app/system/fault-points.ts).

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/fixtures.js';

const texts = (dir: string): [string, string][] =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .map((f) => [f, readFileSync(f, 'latin1')]);

describe('the release bundle', () => {
  const t = tempDir('vm-release-');
  afterAll(() => t.cleanup());
  const build = (...args: string[]) => spawnSync(process.execPath, ['build.mjs', ...args, '--outdir', join(t.dir, args.length ? 'release' : 'test')], { cwd: resolve(import.meta.dirname, '../..'), encoding: 'utf8' });

  it('has no test hook, where the test build has them all', () => {
    expect(build('--release').status).toBe(0);
    expect(build().status).toBe(0);
    const hooks = ['VOLUME_MANAGER_TEST_STOP_ELEVATED', 'VOLUME_MANAGER_TEST_KILL_AT', 'VOLUME_MANAGER_TEST_HOLD_TRANSFER_AT', 'kill -STOP'];
    const release = texts(join(t.dir, 'release'));
    const test = texts(join(t.dir, 'test')).filter(([f]) => !f.endsWith('.map'));
    expect(release.map(([f]) => f)).toContain(join(t.dir, 'release', 'cli.cjs'));
    for (const hook of hooks) {
      expect(release.filter(([, text]) => text.includes(hook)).map(([f]) => f), hook).toEqual([]);
      expect(test.some(([, text]) => text.includes(hook)), hook).toBe(true);
    }
    expect(release.some(([f]) => f.endsWith('.map'))).toBe(false);
  });
});
