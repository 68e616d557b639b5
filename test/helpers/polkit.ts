// The polkit side of the elevation tests: the unprivileged user, the rule file that allows
// or denies it, and a wait until polkitd has taken a rule change in.

import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CLI } from './cli.js';
import { elevatedTarget, storeIdOf } from '../../app/system/elevated-targets.js';
import { mountsUnder, type tempDir } from './fixtures.js';

export const USER = 'vmtest';
export const RULE = '/etc/polkit-1/rules.d/49-volume-manager-test.rules';

export const ruleText = (result: 'YES' | 'NO') => `// Added by volume-manager's elevation test; removed when it ends.
polkit.addRule(function (action, subject) {
  if (action.id == "org.freedesktop.policykit.exec" && subject.user == "${USER}") return polkit.Result.${result};
});
`;

/** polkitd reloads rules on its own; wait until pkexec as the user shows the expected outcome. */
export function waitForPolkit(expect: 'allowed' | 'denied' | 'no-agent') {
  for (let i = 0; i < 100; i++) {
    const r = spawnSync('runuser', ['-u', USER, '--', 'pkexec', '--disable-internal-agent', '/bin/true'], { encoding: 'utf8' });
    const now = r.status === 0 ? 'allowed' : /No authentication agent/.test(r.stderr) ? 'no-agent' : 'denied';
    if (now === expect) return;
    spawnSync('sleep', ['0.1']);
  }
  throw new Error(`polkit never reached state ${expect}`);
}


export const userUid = () => Number(spawnSync('id', ['-u', USER], { encoding: 'utf8' }).stdout);

/** The root-owned directory that holds the elevated mounts of `USER` for one state directory. */
export const elevatedDirOf = (stateDir: string) => elevatedTarget(userUid(), storeIdOf(realpathSync(stateDir)), '').replace(/\/$/, '');

/** Mounts made for `USER` with this state directory: in the root-owned tree, never under the state. */
export const elevatedMountsOf = (stateDir: string) => mountsUnder(elevatedDirOf(stateDir));

/**
 * What an attack test as `USER` starts from, inside `t` (made reachable to the user): a copy
 * of the bundle the user can run (it is self-contained, so a copy works wherever the checkout
 * lives), a state directory of the user's, and a victim directory of the user's holding
 * `precious` = "untouched", which nothing may change.
 */
export function userSandbox(t: ReturnType<typeof tempDir>) {
  chmodSync(t.dir, 0o755);
  const userCli = join(t.dir, 'dist', 'cli.cjs');
  cpSync(dirname(CLI), dirname(userCli), { recursive: true });
  const state = join(t.dir, 'state');
  const victim = join(t.dir, 'victim');
  for (const dir of [state, victim]) {
    mkdirSync(dir);
    chownSync(dir, userUid(), userUid());
  }
  writeFileSync(join(victim, 'precious'), 'untouched');
  return { userCli, state, victim };
}

/**
 * What a suite run as `USER` leaves behind: no polkit rule, nothing mounted or made in the
 * root-owned tree for `state`, no temporary files. Safe to call when set-up failed half-way.
 */
export function leaveNothingGranted(state: string | undefined, t: { cleanup(): void } | undefined) {
  rmSync(RULE, { force: true });
  if (state) {
    for (const m of elevatedMountsOf(state).reverse()) spawnSync('umount', ['-l', m.mountpoint]);
    rmSync(elevatedDirOf(state), { recursive: true, force: true });
  }
  t?.cleanup();
}
