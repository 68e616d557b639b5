// Real elevation: the command line run as an unprivileged user goes through sudo-prompt,
// pkexec and the real polkitd, with a rule that allows, one that denies, and none.

import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cli, CLI } from '../helpers/cli.js';
import { describeIf, polkitUp } from '../helpers/env.js';
import { mountsUnder, tempDir } from '../helpers/fixtures.js';
import { RULE, ruleText, USER, waitForPolkit } from '../helpers/polkit.js';

describeIf(polkitUp(), 'root, pkexec, a running polkitd and the user vmtest (test/setup/provision.sh)')('elevation through polkit', () => {
  let t: ReturnType<typeof tempDir>;
  let state: string;
  let userCli: string;
  const run = (args: string[]) => cli(state, args, { user: USER, cliPath: userCli });
  const stored = () => JSON.parse(readFileSync(join(state, 'volumes.json'), 'utf8')).volumes;

  beforeAll(() => {
    t = tempDir('vm-elev-');
    chmodSync(t.dir, 0o755);
    // The bundle is self-contained; a copy the user can read works wherever the checkout lives.
    userCli = join(t.dir, 'dist', 'cli.mjs');
    cpSync(dirname(CLI), dirname(userCli), { recursive: true });
    state = join(t.dir, 'state');
    mkdirSync(state);
    const uid = Number(spawnSync('id', ['-u', USER], { encoding: 'utf8' }).stdout);
    chownSync(state, uid, uid);
    expect(run(['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'size=4m', 'user-vol'])).toMatchObject({ code: 0 });
  });
  afterAll(() => {
    rmSync(RULE, { force: true });
    t?.cleanup();
  });

  it('mounts and unmounts when polkit allows', () => {
    writeFileSync(RULE, ruleText('YES'));
    waitForPolkit('allowed');
    const r = run(['volume', 'mount', 'user-vol']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(mountsUnder(state).map((m) => m.fstype)).toEqual(['tmpfs']);
    expect(stored()['user-vol'].mountCount).toBe(1);
    expect(run(['volume', 'unmount', 'user-vol']).code).toBe(0);
    expect(mountsUnder(state)).toHaveLength(0);
    expect(stored()['user-vol'].mountCount).toBe(0);
  });

  it('shows a guided error and changes nothing when polkit denies', () => {
    writeFileSync(RULE, ruleText('NO'));
    waitForPolkit('denied');
    const before = readFileSync(join(state, 'volumes.json'), 'utf8');
    const r = run(['volume', 'mount', 'user-vol']);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('Permission to mount was not granted');
    expect(r.stderr).toContain('User did not grant permission.');
    expect(r.stderr).toContain('[ELEVATION_DENIED]');
    expect(mountsUnder(state)).toHaveLength(0);
    expect(readFileSync(join(state, 'volumes.json'), 'utf8')).toBe(before);
  });

  it('explains a missing polkit agent when no rule decides', () => {
    rmSync(RULE, { force: true });
    waitForPolkit('no-agent');
    const r = run(['volume', 'mount', 'user-vol']);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain('No polkit authentication agent found.');
    expect(r.stderr).toContain('[NO_POLKIT_AGENT]');
    expect(mountsUnder(state)).toHaveLength(0);
    expect(stored()['user-vol'].mountCount).toBe(0);
  });
});
