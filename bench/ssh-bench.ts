// An SSH volume's mount+unmount cycle through the engine against sshfs and fusermount3 -u run
// directly with the same options, both against the tests' own OpenSSH server on
// 127.0.0.1:2222 (test/setup/provision.sh), interleaved in one run.

import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSshOptions } from '../app/drivers/sshfs/options.js';
import { sshfsArgs } from '../app/drivers/sshfs/ssh.js';
import { VolumeEngine } from '../app/volume/engine.js';
import { SSH, sshUp } from '../test/helpers/env.js';
import { engineCycle, fmt, interleaved, must, verdict } from './measure.js';

export async function sshCycles(root: string, rounds: number, say: (l: string) => void): Promise<void> {
  if (!sshUp()) return say('\n# SSH volume cycle: skipped, it needs sshfs and the test sshd on 127.0.0.1:2222 (test/setup/provision.sh)');
  const key = join(root, 'ssh-key');
  copyFileSync(SSH.key, key);
  chmodSync(key, 0o600);
  const knownHosts = join(root, 'ssh-known-hosts');
  writeFileSync(knownHosts, spawnSync('ssh-keyscan', ['-p', String(SSH.port), '127.0.0.1'], { encoding: 'utf8' }).stdout);
  const previous = process.env.VOLUME_MANAGER_KNOWN_HOSTS;
  process.env.VOLUME_MANAGER_KNOWN_HOSTS = knownHosts;
  const options = { type: 'sshfs', device: `${SSH.user}@127.0.0.1:${SSH.remote}`, o: `port=${SSH.port},IdentityFile=${key}` };
  const engine = new VolumeEngine({ stateDir: join(root, 'ssh-state') });
  const direct = join(root, 'ssh-direct');
  mkdirSync(direct);
  // The same options the engine gives sshfs: the comparison is of everything around them.
  const args = sshfsArgs(parseSshOptions(options), direct);
  try {
    await engine.create({ name: 'remote', options });
    const t = await interleaved(
      [
        { name: 'engine API', run: engineCycle(engine, 'remote') },
        { name: 'sshfs + fusermount3', run: () => (must('sshfs', args), must('fusermount3', ['-u', direct])) },
      ],
      rounds,
    );
    say(`\n# mount+unmount of an SSH volume (sshfs, 127.0.0.1), median of ${rounds} interleaved rounds`);
    for (const [k, v] of t) say(`  ${k.padEnd(20)} ${fmt(v)}`);
    const ratio = t.get('engine API')! / t.get('sshfs + fusermount3')!;
    say(verdict('engine API within 1.3x of sshfs and fusermount3 run directly', ratio <= 1.3, `${ratio.toFixed(2)}x`));
  } finally {
    engine.close();
    if (previous === undefined) delete process.env.VOLUME_MANAGER_KNOWN_HOSTS;
    else process.env.VOLUME_MANAGER_KNOWN_HOSTS = previous;
  }
}
