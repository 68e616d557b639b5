// Export and import of a 300 MB volume (20,000 small files, four large ones, symlinks) through
// the engine API (what the window runs) and the command line, against GNU tar run directly on
// the same tree: `tar -C MOUNTPOINT -cf - .` into a file, and `tar -xf` into an empty folder.
// The verdict is on the engine API: the command line adds its own start-up (Node's, measured
// on its own in the start-up section), which a 0.3-second transfer cannot hide. Rounds
// alternate; what each round needs beforehand (an empty target, no archive yet) is made
// outside the timed part.

import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportToFile, importFromFile } from '../app/transfer/archive-files.js';
import { VolumeEngine } from '../app/volume/engine.js';
import { median, must, verdict } from './measure.js';

function fill(dir: string): number {
  let bytes = 0;
  for (let d = 0; d < 100; d++) {
    const sub = join(dir, `dir-${d}`);
    mkdirSync(sub, { recursive: true });
    for (let f = 0; f < 200; f++) {
      const data = randomBytes(1024 + (f % 5) * 1024);
      writeFileSync(join(sub, `file-${f}`), data);
      bytes += data.length;
    }
    symlinkSync(`file-0`, join(sub, 'first'));
  }
  for (let b = 0; b < 4; b++) {
    for (let c = 0; c < 60; c++) writeFileSync(join(dir, `large-${b}`), randomBytes(1 << 20), { flag: 'a' });
    bytes += 60 << 20;
  }
  return bytes;
}

const timed = async (fn: () => unknown) => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};

export async function archiveRounds(root: string, cli: string, rounds: number, say: (l: string) => void): Promise<void> {
  // On a tmpfs of its own: the comparison is of the work around tar, not of a shared disk's
  // writeback, which swings more from round to round than the difference measured.
  const space = join(root, 'archive-space');
  mkdirSync(space);
  must('mount', ['-t', 'tmpfs', '-o', 'size=2g', 'tmpfs', space]);
  try {
    await measureRounds(space, cli, rounds, say);
  } finally {
    spawnSync('umount', ['-l', space]);
  }
}

async function measureRounds(root: string, cli: string, rounds: number, say: (l: string) => void): Promise<void> {
  const state = join(root, 'archive-state');
  const run = (...args: string[]) => must(process.execPath, [cli, '--state-dir', state, ...args]);
  run('volume', 'create', 'src');
  run('volume', 'create', 'dst');
  const src = join(state, 'volumes', 'src', '_data');
  const dst = join(state, 'volumes', 'dst', '_data');
  const bytes = fill(src);
  const ours = join(root, 'ours.tar');
  const theirs = join(root, 'theirs.tar');
  const plain = join(root, 'tar-target');
  const engine = new VolumeEngine({ stateDir: state });
  const times = { exportOurs: [] as number[], exportCli: [] as number[], exportTar: [] as number[], importOurs: [] as number[], importCli: [] as number[], importTar: [] as number[], node: [] as number[] };
  const tarTo = (file: string) => {
    const fd = openSync(file, 'w');
    try {
      const r = spawnSync('tar', ['-C', src, '-cf', '-', '.'], { stdio: ['ignore', fd, 'pipe'] });
      if (r.status !== 0) throw new Error(String(r.stderr));
    } finally {
      closeSync(fd);
    }
  };
  const empty = (dir: string) => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  };
  for (let i = 0; i <= rounds; i++) {
    rmSync(ours, { force: true });
    rmSync(theirs, { force: true });
    const e1 = await timed(() => exportToFile(engine, 'src', ours));
    const e2 = await timed(() => tarTo(theirs));
    rmSync(ours, { force: true });
    const e3 = await timed(() => run('volume', 'export', '--output', ours, 'src'));
    empty(dst);
    empty(plain);
    const i1 = await timed(() => importFromFile(engine, 'dst', ours));
    const i2 = await timed(() => must('tar', ['-C', plain, '-xf', theirs]));
    empty(dst);
    const i3 = await timed(() => run('volume', 'import', 'dst', ours));
    // A bare Node start, the floor the command line stands on beside tar.
    const n0 = await timed(() => must(process.execPath, ['-e', '0']));
    // The first round warms the page cache for all; it is not counted.
    if (i === 0) continue;
    times.exportOurs.push(e1);
    times.exportTar.push(e2);
    times.exportCli.push(e3);
    times.importOurs.push(i1);
    times.importTar.push(i2);
    times.importCli.push(i3);
    times.node.push(n0);
  }
  engine.close();
  const mbps = (ms: number) => `${((bytes / 1e6) / (ms / 1000)).toFixed(0)} MB/s`;
  const ratio = (tar: number[], ours: number[]) => median(tar) / median(ours);
  const er = ratio(times.exportTar, times.exportOurs);
  const ir = ratio(times.importTar, times.importOurs);
  say(`\n# export and import of a ${(bytes / 1e6).toFixed(0)} MB volume (20,000 small files, 4 large), median of ${rounds}`);
  const line = (label: string, ms: number[]) => `${label} ${median(ms).toFixed(0)} ms (${mbps(median(ms))})`;
  say(`  export: ${line('engine API', times.exportOurs)}; ${line('command line', times.exportCli)}; ${line('tar -cf', times.exportTar)}`);
  say(`  import: ${line('engine API', times.importOurs)}; ${line('command line', times.importCli)}; ${line('tar -xf', times.importTar)}`);
  say(verdict('export (engine API) at least 0.8x the throughput of tar -cf', er >= 0.8, `${er.toFixed(2)}x; command line ${ratio(times.exportTar, times.exportCli).toFixed(2)}x`));
  say(verdict('import (engine API) at least 0.8x the throughput of tar -xf', ir >= 0.8, `${ir.toFixed(2)}x; command line ${ratio(times.importTar, times.importCli).toFixed(2)}x`));
  say(verdict('import (engine API) at least 0.9x the throughput of tar -xf (the next target)', ir >= 0.9, `${ir.toFixed(2)}x`));
  const floor = median(times.importTar) + median(times.node);
  const byCli = median(times.importCli);
  say(verdict('import (command line) within 1.25x the time of tar -xf plus a bare node -e 0', byCli <= 1.25 * floor, `${byCli.toFixed(0)} ms against ${floor.toFixed(0)} ms: ${(byCli / floor).toFixed(2)}x`));
}
