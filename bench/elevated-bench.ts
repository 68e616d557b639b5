// The elevated cycle: the command line run as the unprivileged test user, each mount and each
// unmount one pkexec call through the real polkitd (a temporary rule allows it; no prompt).
// Printed beside the root cycle so the cost of the root script's checks is visible.

import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RULE, ruleText, USER, userUid, waitForPolkit } from '../test/helpers/polkit.js';
import { must, type Contender } from './measure.js';

const available = () =>
  process.geteuid?.() === 0 && existsSync('/usr/bin/pkexec') && spawnSync('pgrep', ['-x', 'polkitd']).status === 0 && spawnSync('id', [USER]).status === 0;

/** A contender that mounts and unmounts a tmpfs volume as USER, or why there is none. */
export function elevatedCycle(root: string, cli: string): { contender?: Contender; skipped?: string; cleanup: () => void } {
  if (!available()) return { skipped: `needs root, pkexec, a running polkitd and the user ${USER} (test/setup/provision.sh)`, cleanup: () => {} };
  const dir = join(root, 'elevated');
  mkdirSync(dir);
  chmodSync(root, 0o755);
  chmodSync(dir, 0o755);
  const userCli = join(dir, 'dist', 'cli.cjs');
  cpSync(dirname(cli), dirname(userCli), { recursive: true });
  const state = join(dir, 'state');
  mkdirSync(state);
  chownSync(state, userUid(), userUid());
  const asUser = (args: string[]) => must('runuser', ['-u', USER, '--', process.execPath, userCli, '--state-dir', state, ...args]);
  asUser(['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'size=4m', 'bench']);
  writeFileSync(RULE, ruleText('YES'));
  waitForPolkit('allowed');
  return {
    contender: { name: `command line as ${USER}`, run: () => (asUser(['volume', 'mount', 'bench']), asUser(['volume', 'unmount', 'bench'])) },
    cleanup: () => rmSync(RULE, { force: true }),
  };
}
