// A user's volumes are the user's: their options name servers, keys and paths. The default
// state directory is made 0700 and the store written 0600, as podman keeps its own, so another
// local user cannot list them.

import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeIf, polkitUp } from '../helpers/env.js';
import { tempDir } from '../helpers/fixtures.js';
import { USER, userSandbox } from '../helpers/polkit.js';

describeIf(polkitUp(), 'root and the user vmtest (test/setup/provision.sh)')('the store is private', () => {
  let t: ReturnType<typeof tempDir>;
  let cliPath: string;
  let data: string;
  const as = (user: string, args: string[]) =>
    spawnSync('runuser', ['-u', user, '--', 'env', `XDG_DATA_HOME=${data}`, process.execPath, cliPath, ...args], { encoding: 'utf8', cwd: '/' });

  beforeAll(() => {
    t = tempDir('vm-private-');
    cliPath = userSandbox(t).userCli;
    data = join(t.dir, 'xdg-data');
    mkdirSync(data);
    chmodSync(data, 0o1777);
  });
  afterAll(() => t?.cleanup());

  it('keeps another user from listing a default store', () => {
    expect(as(USER, ['volume', 'create', '--opt', 'type=nfs', '--opt', 'device=files.internal:/secret-share', 'private-one']).status).toBe(0);
    const dir = join(data, 'volume-manager');
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'volumes.json')).mode & 0o777).toBe(0o600);
    expect(as(USER, ['volume', 'ls']).stdout).toContain('private-one');

    const other = as('nobody', ['--state-dir', dir, 'volume', 'ls']);
    expect(other.status).not.toBe(0);
    expect(other.stdout).not.toContain('private-one');
    expect(other.stderr).not.toContain('secret-share');
    expect(other.stderr).toMatch(/permission denied/i);
  });
});
