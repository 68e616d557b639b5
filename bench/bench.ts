// npm run bench: the engine against plain mount/umount and podman, plugin volumes against
// direct protocol calls, export and import against GNU tar, the command line against
// bare Node start-up, and the store at 10,000 volumes. Every ratio is measured side by side
// in this one run; nothing here is a pass/fail test.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { STATE_VERSION, type StateData } from '../app/state/schema.js';
import { VolumeEngine } from '../app/volume/engine.js';
import { engineCycle, fmt, interleaved, median, must, verdict } from './measure.js';
import { hostAtTenThousand } from './host-bench.js';
import { pluginCycles } from './plugin-bench.js';
import { elevatedCycle } from './elevated-bench.js';
import { sshCycles } from './ssh-bench.js';
import { archiveRounds } from './archive-bench.js';
import { containerCycles } from './containers-bench.js';
import { podmanCliRounds } from './podman-cli-bench.js';
import { remoteRounds } from './remote-bench.js';

const CLI = resolve(import.meta.dirname, 'cli.cjs');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const say = (l: string) => console.log(l);

function hasPodman(): boolean {
  return spawnSync('podman', ['--version']).status === 0;
}

async function mountCycles(root: string) {
  const engine = new VolumeEngine({ stateDir: join(root, 'engine') });
  await engine.create({ name: 'bench', options: { type: 'tmpfs', size: '4m' } });
  const cliState = join(root, 'cli');
  must(process.execPath, [CLI, '--state-dir', cliState, 'volume', 'create', '--opt', 'type=tmpfs', '--opt', 'size=4m', 'bench']);
  const plain = join(root, 'plain');
  mkdirSync(plain);
  const podman = hasPodman();
  if (podman) {
    spawnSync('podman', ['volume', 'rm', '-f', 'vm-bench'], { stdio: 'ignore' });
    // podman 4.3 refuses size= for tmpfs (it asks for project quota); its volume goes without.
    must('podman', ['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'device=tmpfs', 'vm-bench']);
  }
  const contenders = [
    { name: 'engine API', run: engineCycle(engine, 'bench') },
    {
      name: 'command line',
      run: () => {
        must(process.execPath, [CLI, '--state-dir', cliState, 'volume', 'mount', 'bench']);
        must(process.execPath, [CLI, '--state-dir', cliState, 'volume', 'unmount', 'bench']);
      },
    },
    // Two bare Node starts: the floor of a command-line mount and unmount.
    { name: 'node -e 0, twice', run: () => (must(process.execPath, ['-e', '0']), must(process.execPath, ['-e', '0'])) },
    {
      name: 'plain mount/umount',
      run: () => {
        must('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', plain]);
        must('umount', [plain]);
      },
    },
    ...(podman
      ? [{ name: 'podman CLI', run: () => (must('podman', ['volume', 'mount', 'vm-bench']), must('podman', ['volume', 'unmount', 'vm-bench'])) }]
      : []),
  ];
  const elevated = elevatedCycle(root, CLI);
  if (elevated.contender) contenders.push(elevated.contender);
  let t: Map<string, number>;
  try {
    t = await interleaved(contenders, ROUNDS);
  } finally {
    elevated.cleanup();
  }
  say(`\n# mount+unmount of a tmpfs volume, median of ${ROUNDS} interleaved rounds`);
  for (const [k, v] of t) say(`  ${k.padEnd(20)} ${fmt(v)}`);
  const engineMs = t.get('engine API')!;
  const plainMs = t.get('plain mount/umount')!;
  say(verdict('engine API within 1.5x of plain processes', engineMs <= 1.5 * plainMs, `${(engineMs / plainMs).toFixed(2)}x`));
  say(verdict('engine API within 1.2x of plain processes (the next target)', engineMs <= 1.2 * plainMs, `${(engineMs / plainMs).toFixed(2)}x`));
  const twoNodes = t.get('node -e 0, twice')!;
  say(verdict('command line within 1.3x of two bare Node starts', t.get('command line')! <= 1.3 * twoNodes, `${fmt(t.get('command line')!)} against ${fmt(twoNodes)}: ${(t.get('command line')! / twoNodes).toFixed(2)}x`));
  const elevatedMs = elevated.contender && t.get(elevated.contender.name);
  if (elevatedMs) say(`  elevated (two pkexec calls, root script checks) against the command line as root: ${(elevatedMs / t.get('command line')!).toFixed(2)}x`);
  else say(`  elevated cycle skipped: ${elevated.skipped}`);
  if (podman) {
    const p = t.get('podman CLI')!;
    say(verdict('engine API at least 8x faster than podman', p / engineMs >= 8, `${(p / engineMs).toFixed(1)}x faster`));
    spawnSync('podman', ['volume', 'rm', '-f', 'vm-bench'], { stdio: 'ignore' });
  } else say('  podman is not installed: that comparison is skipped');
}

async function cliStartup(root: string) {
  const state = join(root, 'startup');
  must(process.execPath, [CLI, '--state-dir', state, 'volume', 'create', 'probe']);
  must(process.execPath, [CLI, '--state-dir', state, 'volume', 'create', '--opt', 'type=tmpfs', 'probe-tmpfs']);
  const node = (args: string[]) => () => must(process.execPath, args);
  const t = await interleaved(
    [
      { name: 'node -e 0', run: node(['-e', '0']) },
      { name: 'volume ls', run: node([CLI, '--state-dir', state, 'volume', 'ls']) },
      { name: 'volume inspect', run: node([CLI, '--state-dir', state, 'volume', 'inspect', 'probe']) },
      { name: 'driver ls', run: node([CLI, '--state-dir', state, 'driver', 'ls']) },
      { name: 'volume mount (dir)', run: node([CLI, '--state-dir', state, 'volume', 'mount', 'probe']) },
      { name: 'volume unmount (dir)', run: node([CLI, '--state-dir', state, 'volume', 'unmount', 'probe']) },
      { name: 'volume mount (tmpfs)', run: node([CLI, '--state-dir', state, 'volume', 'mount', 'probe-tmpfs']) },
      { name: 'volume unmount (tmpfs)', run: node([CLI, '--state-dir', state, 'volume', 'unmount', 'probe-tmpfs']) },
    ],
    ROUNDS,
  );
  const bare = t.get('node -e 0')!;
  say(`\n# command-line calls against bare Node start-up, median of ${ROUNDS} interleaved rounds`);
  for (const [k, v] of t) {
    if (k === 'node -e 0') say(`  ${k.padEnd(24)} ${fmt(v)}`);
    else say(verdict(`${k.padEnd(24)} within 1.3x of node -e 0`, v <= 1.3 * bare, `${fmt(v)} = ${(v / bare).toFixed(2)}x`));
  }
}

async function tenThousand(root: string) {
  const stateDir = join(root, 'big');
  mkdirSync(stateDir);
  const data: StateData = { version: STATE_VERSION, volumes: {} };
  for (let i = 0; i < 10_000; i++) {
    const name = `vol-${String(i).padStart(5, '0')}`;
    data.volumes[name] = {
      name,
      driver: 'local',
      options: i % 2 ? { type: 'tmpfs', size: '64m' } : {},
      labels: { team: `t${i % 10}` },
      createdAt: new Date(0).toISOString(),
      mountCount: 0,
    };
  }
  const text = JSON.stringify(data, undefined, '\t');
  writeFileSync(join(stateDir, 'volumes.json'), text);
  const startups: number[] = [];
  const warm: number[] = [];
  const cold: number[] = [];
  const foreign: number[] = [];
  // Another process of this app: the command line, whose write goes through the store with its
  // line in the change journal. A process of its own, so that its garbage is not the lister's.
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    const engine = new VolumeEngine({ stateDir });
    await engine.reconcile();
    startups.push(performance.now() - t0);
    const t1 = performance.now();
    const all = await engine.list();
    warm.push(performance.now() - t1);
    if (all.length !== 10_000) throw new Error(`listed ${all.length}`);
    // Names the host's rounds below do not touch, one each round, so every set is a change.
    must(process.execPath, [CLI, '--state-dir', stateDir, 'volume', 'set', '--label', `round=${i}`, `vol-${String(9999 - i).padStart(5, '0')}`]);
    const t2 = performance.now();
    await engine.list();
    cold.push(performance.now() - t2);
    // A program that is not this app rewrote the file (a new file renamed in, no journal line):
    // the next list must parse all of it.
    writeFileSync(join(stateDir, 'volumes.json.tmp'), readFileSync(join(stateDir, 'volumes.json')));
    renameSync(join(stateDir, 'volumes.json.tmp'), join(stateDir, 'volumes.json'));
    const t3 = performance.now();
    await engine.list();
    foreign.push(performance.now() - t3);
  }
  say(`\n# 10,000 volumes in the store (${(text.length / 1e6).toFixed(1)} MB), median of ${ROUNDS}`);
  say(verdict('full list through the API, store unchanged, under 30 ms', median(warm) < 30, fmt(median(warm))));
  say(verdict('full list through the API after another process changed one volume, under 30 ms', median(cold) < 30, fmt(median(cold))));
  say(`  the same after a program that is not this app rewrote the file (no journal line: a whole parse): ${fmt(median(foreign))}`);
  say(verdict('start-up with reconcile under 500 ms', median(startups) < 500, fmt(median(startups))));
  await cycleAtTenThousand(root, stateDir);
  await hostAtTenThousand(stateDir, ROUNDS, say);
}

/** A tmpfs mount+unmount through the engine among 10,000 volumes, beside the same in a store of one. */
async function cycleAtTenThousand(root: string, stateDir: string) {
  const big = new VolumeEngine({ stateDir, plugins: { socketDirs: [], specDirs: [], containersConfs: [] } });
  const small = new VolumeEngine({ stateDir: join(root, 'one'), plugins: { socketDirs: [], specDirs: [], containersConfs: [] } });
  await small.create({ name: 'alone', options: { type: 'tmpfs', size: '64m' } });
  try {
    const t = await interleaved(
      [
        { name: 'among 10,000', run: engineCycle(big, 'vol-00001') },
        { name: 'alone', run: engineCycle(small, 'alone') },
      ],
      ROUNDS,
    );
    const ratio = t.get('among 10,000')! / t.get('alone')!;
    say(`  tmpfs mount+unmount through the engine among 10,000 volumes: ${fmt(t.get('among 10,000')!)}, against ${fmt(t.get('alone')!)} in a store of one (${ratio.toFixed(2)}x)`);
  } finally {
    big.close();
    small.close();
  }
}

async function main() {
  if (process.geteuid?.() !== 0) {
    console.log('npm run bench mounts for real and needs root: run it as root (sudo npm run bench).');
    process.exitCode = 1;
    return;
  }
  // `npm run bench -- 10k archives` runs those sections only; every one runs by default.
  const sections: Record<string, (root: string) => Promise<void>> = {
    mounts: mountCycles,
    plugins: (root) => pluginCycles(root, ROUNDS, say),
    ssh: (root) => sshCycles(root, ROUNDS, say),
    containers: (root) => containerCycles(root, CLI, ROUNDS, say),
    archives: (root) => archiveRounds(root, CLI, Math.min(ROUNDS, 5), say),
    cli: cliStartup,
    'podman-cli': (root) => podmanCliRounds(root, CLI, ROUNDS, say),
    remote: (root) => remoteRounds(root, CLI, ROUNDS, say),
    '10k': tenThousand,
  };
  const asked = process.argv.slice(2);
  const unknown = asked.filter((a) => !Object.hasOwn(sections, a));
  if (unknown.length) {
    console.log(`unknown bench section ${unknown.join(', ')}: the sections are ${Object.keys(sections).join(', ')}`);
    process.exitCode = 2;
    return;
  }
  const root = mkdtempSync(join(tmpdir(), 'vm-bench-'));
  try {
    for (const [name, run] of Object.entries(sections)) if (asked.length === 0 || asked.includes(name)) await run(root);
  } finally {
    for (const mp of must('findmnt', ['-rn', '-o', 'TARGET']).split('\n').filter((m) => m.startsWith(root)).reverse()) spawnSync('umount', ['-l', mp]);
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
