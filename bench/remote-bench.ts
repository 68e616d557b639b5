// Another machine over SSH: `volume ls` and a tmpfs mount+unmount through --url (the tests'
// sshd on loopback, as the user vmtest, its mounts through the real polkitd) against the same
// run on this machine as the same user, beside `ssh HOST true` over the kept-open master, in
// interleaved rounds; and the first command, which copies the app there, timed once.

import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bundleId } from '../main/shared/remote/far-side.js';
import { RULE, ruleText, USER, userUid, waitForPolkit } from '../test/helpers/polkit.js';
import { fmt, interleaved, must, verdict } from './measure.js';

const SSH_KEY = '/etc/volume-manager-test/ssh/id_ed25519';
const URL = `ssh://${USER}@127.0.0.1:2222`;

export async function remoteRounds(root: string, cli: string, rounds: number, say: (l: string) => void): Promise<void> {
  say('\n# volumes on another machine over SSH (loopback sshd, as vmtest)');
  const up = existsSync(SSH_KEY) && spawnSync('ssh-keyscan', ['-p', '2222', '-T', '2', '127.0.0.1']).status === 0 && spawnSync('pgrep', ['-x', 'polkitd']).status === 0;
  if (!up) {
    say('  skipped: the tests\' sshd on 127.0.0.1:2222 and polkitd are needed (test/setup/provision.sh)');
    return;
  }
  const dir = join(root, 'remote');
  mkdirSync(dir, { recursive: true });
  chmodSync(root, 0o755);
  chmodSync(dir, 0o755);
  const key = join(dir, 'key');
  copyFileSync(SSH_KEY, key);
  chmodSync(key, 0o600);
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, must('ssh-keyscan', ['-p', '2222', '-t', 'ed25519', '127.0.0.1']));
  // A short runtime folder of its own: the SSH master's socket path must fit in 107 bytes.
  const run = mkdtempSync('/tmp/vm-r-');
  const env = { ...process.env, VOLUME_MANAGER_KNOWN_HOSTS: knownHosts, XDG_RUNTIME_DIR: run };
  const userCli = join(dir, 'dist', 'cli.cjs');
  cpSync(dirname(cli), dirname(userCli), { recursive: true });
  const states = { here: join(dir, 'here'), there: join(dir, 'there') };
  for (const s of Object.values(states)) {
    mkdirSync(s);
    chownSync(s, userUid(), userUid());
  }
  const here = (args: string[]) => must('runuser', ['-u', USER, '--', process.execPath, userCli, '--state-dir', states.here, ...args]);
  const there = (args: string[]) => {
    const r = spawnSync(process.execPath, [cli, '--url', URL, '--identity', key, '--state-dir', states.there, ...args], { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`--url ${args.join(' ')}: ${r.stderr}`);
  };
  writeFileSync(RULE, ruleText('YES'));
  waitForPolkit('allowed');
  try {
    rmSync(join('/home', USER, '.cache', 'volume-manager', `bundle-${bundleId(dirname(cli))}`), { recursive: true, force: true });
    const t0 = performance.now();
    there(['volume', 'ls']);
    say(`  first command, with the SSH handshake and the app copied there: ${fmt(performance.now() - t0)}`);
    for (const f of [here, there]) f(['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'size=4m', 'bench']);
    const sshTrue = ['-p', '2222', '-i', key, '-o', 'BatchMode=yes', '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'ControlMaster=auto', '-o', `ControlPath=${join(run, 'volume-manager', 'ssh', '%C')}`, '-o', 'ControlPersist=60', `${USER}@127.0.0.1`, 'true'];
    const t = await interleaved(
      [
        { name: 'ssh true (kept open)', run: () => must('ssh', sshTrue) },
        { name: 'ls here', run: () => here(['volume', 'ls']) },
        { name: 'ls there', run: () => there(['volume', 'ls']) },
        { name: 'mount+unmount here', run: () => (here(['volume', 'mount', 'bench']), here(['volume', 'unmount', 'bench'])) },
        { name: 'mount+unmount there', run: () => (there(['volume', 'mount', 'bench']), there(['volume', 'unmount', 'bench'])) },
      ],
      rounds,
    );
    for (const [k, v] of t) say(`  ${k.padEnd(22)} ${fmt(v)}`);
    const rtt = t.get('ssh true (kept open)')!;
    for (const [what, calls] of [
      ['ls', 1],
      ['mount+unmount', 2],
    ] as const) {
      const h = t.get(`${what} here`)!;
      const r = t.get(`${what} there`)!;
      const target = 1.5 * h + calls * rtt;
      say(verdict(`${what} there within 1.5x of here plus ${calls === 1 ? 'one round trip' : 'a round trip per command'}`, r <= target, `${fmt(r)} against ${fmt(target)}: ${(r / target).toFixed(2)}x`));
    }
  } finally {
    rmSync(RULE, { force: true });
    spawnSync('pkill', ['-f', `ControlPath=${run}`]);
    rmSync(run, { recursive: true, force: true });
  }
}
