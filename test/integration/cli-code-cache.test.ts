// The command line's code cache (main/cli/launch.ts, code-cache.ts) as an attacker meets it:
// cached data is code, so a cache another user could write is never read, nor written over,
// by a command run as root; the command works as it does without one.

import { spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cacheSpot } from '../../main/cli/code-cache.js';
import { CLI, cli } from '../helpers/cli.js';
import { describeIf, isRoot } from '../helpers/env.js';
import { tempDir } from '../helpers/fixtures.js';
import { USER } from '../helpers/polkit.js';

const uidOf = (user: string) => Number(spawnSync('id', ['-u', user], { encoding: 'utf8' }).stdout.trim());
const userExists = () => spawnSync('id', ['-u', USER]).status === 0;

describeIf(isRoot && userExists(), `root and the user ${USER} (test/setup/provision.sh)`)('the command line, its code cache', () => {
  let t: ReturnType<typeof tempDir>;
  const state = () => join(t.dir, 'state');
  beforeAll(() => {
    t = tempDir('vm-code-cache-');
    mkdirSync(state());
  });
  afterAll(() => t.cleanup());
  const run = (cache: string, args: string[]) => cli(state(), args, { env: { XDG_CACHE_HOME: cache } });
  const spot = (cache: string) => cacheSpot(join(CLI, '..', 'cli-main.cjs'), statSync(join(CLI, '..', 'cli-main.cjs')), { XDG_CACHE_HOME: cache });

  it('keeps its own cache where only its user may write, and runs the same with it', () => {
    const cache = join(t.dir, 'own');
    expect(run(cache, ['volume', 'create', 'cached'])).toMatchObject({ code: 0 });
    const { dir, file } = spot(cache);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual([file.slice(dir.length + 1)]);
    expect(run(cache, ['volume', 'ls', '-q'])).toMatchObject({ code: 0, stdout: 'cached\n' });
  });

  it("neither reads nor replaces a cache another user wrote, at the very name root's would have", () => {
    const cache = join(t.dir, 'planted');
    const { dir, file } = spot(cache);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // What another program of that user could leave: bytes V8 would run as code if trusted.
    const planted = Buffer.from('not V8 cached data, but it could have been');
    writeFileSync(file, planted, { mode: 0o600 });
    const uid = uidOf(USER);
    chownSync(dir, uid, uid);
    chownSync(file, uid, uid);
    expect(run(cache, ['volume', 'ls', '-q'])).toMatchObject({ code: 0, stdout: 'cached\n' });
    expect(readFileSync(file)).toEqual(planted);
    expect(statSync(file).uid).toBe(uid);
  });
});
