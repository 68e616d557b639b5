// The command line against podman's at 1,000 volumes: `volume ls --format '{{.Name}}'` and
// `volume inspect --format '{{.Mountpoint}}'`, each store holding the same 1,000 names, beside
// a bare `node -e 0`, interleaved in one run. The target: no slower than 1.3 times a bare
// Node start plus podman's own time for the same call.

import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STATE_VERSION, type StateData } from '../app/state/schema.js';
import { fmt, interleaved, must, verdict } from './measure.js';

const COUNT = 1000;

export async function podmanCliRounds(root: string, cli: string, rounds: number, say: (l: string) => void): Promise<void> {
  say(`\n# the command line beside podman's, ${COUNT} volumes in each store`);
  if (spawnSync('sh', ['-c', 'command -v podman']).status !== 0) {
    say('  skipped: podman is not installed (test/setup/provision.sh installs it)');
    return;
  }
  const dir = join(root, 'podman-cli');
  mkdirSync(dir, { recursive: true });
  const conf = join(dir, 'containers.conf');
  const storage = join(dir, 'storage.conf');
  writeFileSync(conf, `[engine]\nevents_logger = "file"\nevents_logfile_path = "${join(dir, 'events.log')}"\n`);
  writeFileSync(storage, `[storage]\ndriver = "vfs"\ngraphroot = "${join(dir, 'graph')}"\nrunroot = "${join(dir, 'run')}"\n`);
  const env = { ...process.env, CONTAINERS_CONF: conf, CONTAINERS_STORAGE_CONF: storage };
  const names = Array.from({ length: COUNT }, (_, i) => `vol-${String(i).padStart(4, '0')}`);
  // podman makes its volumes one command each; four at a time, as a script would.
  const made = spawnSync('sh', ['-c', 'xargs -P 4 -n 1 podman volume create >/dev/null'], { input: names.join('\n'), env });
  if (made.status !== 0) throw new Error(`podman volume create failed: ${made.stderr}`);
  const state = join(dir, 'state');
  mkdirSync(state);
  const data: StateData = { version: STATE_VERSION, volumes: {} };
  for (const name of names) data.volumes[name] = { name, driver: 'local', options: {}, labels: {}, createdAt: new Date().toISOString(), mountCount: 0 };
  writeFileSync(join(state, 'volumes.json'), JSON.stringify(data, undefined, '\t'));
  const podman = (args: string[]) => () => {
    const r = spawnSync('podman', args, { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`podman ${args.join(' ')}: ${r.stderr}`);
  };
  const ours = (args: string[]) => () => must(process.execPath, [cli, '--state-dir', state, ...args]);
  const ls = ['volume', 'ls', '--format', '{{.Name}}'];
  const inspect = ['volume', 'inspect', '--format', '{{.Mountpoint}}', 'vol-0500'];
  let t: Map<string, number>;
  try {
    t = await interleaved(
      [
        { name: 'node -e 0', run: () => must(process.execPath, ['-e', '0']) },
        { name: 'podman ls', run: podman(ls) },
        { name: 'ours ls', run: ours(ls) },
        { name: 'podman inspect', run: podman(inspect) },
        { name: 'ours inspect', run: ours(inspect) },
      ],
      rounds,
    );
  } finally {
    // podman's locks live in one shared memory segment, not in the store: a store deleted with
    // its volumes in it keeps 1,000 of its 2,048 locks taken until the machine restarts.
    spawnSync('podman', ['volume', 'rm', '--all', '--force'], { env, stdio: 'ignore' });
  }
  for (const [k, v] of t) say(`  ${k.padEnd(16)} ${fmt(v)}`);
  const node = t.get('node -e 0')!;
  for (const verb of ['ls', 'inspect']) {
    const o = t.get(`ours ${verb}`)!;
    const p = t.get(`podman ${verb}`)!;
    say(verdict(`${verb} within 1.3x of (node -e 0 + podman's ${verb})`, o <= 1.3 * (node + p), `${fmt(o)} against ${fmt(node + p)}: ${(o / (node + p)).toFixed(2)}x; ${(o / p).toFixed(2)}x podman alone`));
  }
}
