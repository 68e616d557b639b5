// Real podman and a real dockerd (test/helpers/env.ts says whether they are here), each on a private store inside a test's temporary directory
// so that nothing else on the machine is touched: podman through CONTAINERS_CONF and
// CONTAINERS_STORAGE_CONF, Docker through a daemon of the test's own (its own data root, exec
// root and socket). Nothing can be pulled here, so each imports the busybox root that
// test/setup/provision.sh made.

import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { userUid } from './polkit.js';

export const IMAGE_TAR = '/var/lib/volume-manager-test/busybox-rootfs.tar';
export const IMAGE = 'localhost/vm-busybox:latest';


export interface Podman {
  env: NodeJS.ProcessEnv;
  /** Removes every container, and ends the rootless namespace's pause process. */
  cleanup(): void;
  run(args: string[]): SpawnSyncReturns<string>;
  /** A container started in the background: `podman run -d`, its ID. */
  detached(args: string[]): string;
}

/**
 * podman on a store of its own under `dir`, with `plugins` as its [engine.volume_plugins]; as
 * `user` (rootless: its own runtime directory, cgroupfs, no network) when given. runc, and
 * ulimits this sandbox allows, as DESIGN.md's machine notes say.
 */
export function privatePodman(dir: string, plugins: Record<string, string>, user?: string): Podman {
  mkdirSync(dir, { recursive: true });
  // Rootless podman joins a pause process the user already runs, whose mount namespace was made
  // before this test's shared folders: the test user's are ended, so the namespace is made now.
  if (user) spawnSync('pkill', ['-u', user, '-x', 'podman']);
  const runtime = join(dir, 'run');
  const store = join(dir, 'store');
  for (const d of [runtime, store]) {
    mkdirSync(d, { recursive: true, mode: 0o700 });
    if (user) chownSync(d, userUid(), userUid());
  }
  const conf = join(dir, 'containers.conf');
  writeFileSync(
    conf,
    [
      '[containers]',
      'default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]',
      '[engine]',
      'runtime = "runc"',
      'cgroup_manager = "cgroupfs"',
      'events_logger = "file"',
      `events_logfile_path = "${join(runtime, 'events.log')}"`,
      '[engine.volume_plugins]',
      ...Object.entries(plugins).map(([name, socket]) => `${name} = "${socket}"`),
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  const storage = join(dir, 'storage.conf');
  // Rootless podman keeps its images and its own volume records at rootless_storage_path, not graphroot.
  writeFileSync(storage, `[storage]\ndriver = "vfs"\ngraphroot = "${join(store, 'graph')}"\nrunroot = "${join(runtime, 'storage')}"\nrootless_storage_path = "${join(store, 'graph')}"\n`, { mode: 0o644 });
  const env: NodeJS.ProcessEnv = { CONTAINERS_CONF: conf, CONTAINERS_STORAGE_CONF: storage, XDG_RUNTIME_DIR: runtime, ...(user ? { HOME: `/home/${user}` } : {}) };
  const argv = (args: string[]): [string, string[]] => (user ? ['runuser', ['-u', user, '--', 'env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), 'podman', ...args]] : ['podman', args]);
  const run = (args: string[]) => {
    const [file, rest] = argv(args);
    return spawnSync(file, rest, { encoding: 'utf8', env: { ...process.env, ...env }, cwd: '/', timeout: 120_000 });
  };
  const imported = run(['import', IMAGE_TAR, IMAGE]);
  if (imported.status !== 0) throw new Error(`podman import failed: ${imported.stderr}`);
  return {
    env,
    run,
    cleanup() {
      run(['rm', '-af', '-t', '0']);
      const pause = join(runtime, 'libpod', 'tmp', 'pause.pid');
      if (user && existsSync(pause)) spawnSync('kill', [readFileSync(pause, 'utf8').trim()]);
    },
    detached(args) {
      const r = run(['run', '-d', '--network', 'none', ...args]);
      if (r.status !== 0) throw new Error(`podman run -d failed: ${r.stderr}`);
      return r.stdout.trim();
    },
  };
}

export interface Docker {
  env: NodeJS.ProcessEnv;
  run(args: string[]): SpawnSyncReturns<string>;
  stop(): Promise<void>;
}

/** A dockerd of the test's own under `dir` (no iptables, no bridge: containers run --network none). */
export async function privateDocker(dir: string): Promise<Docker> {
  mkdirSync(dir, { recursive: true });
  const socket = join(dir, 'docker.sock');
  const daemon = spawn('/usr/sbin/dockerd', ['--data-root', join(dir, 'root'), '--exec-root', join(dir, 'exec'), '--pidfile', join(dir, 'dockerd.pid'), '-H', `unix://${socket}`, '--iptables=false', '--ip6tables=false', '--bridge=none'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  daemon.stderr!.on('data', (d) => (log += d));
  const exited = new Promise<void>((r) => daemon.once('exit', () => r()));
  const env: NodeJS.ProcessEnv = { DOCKER_HOST: `unix://${socket}` };
  const run = (args: string[]) => spawnSync('/usr/bin/docker', args, { encoding: 'utf8', env: { ...process.env, ...env }, cwd: '/', timeout: 120_000 });
  for (let i = 0; i < 300 && run(['info', '--format', '{{.ServerVersion}}']).status !== 0; i++) {
    if (daemon.exitCode !== null) throw new Error(`dockerd exited: ${log.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const imported = spawnSync('sh', ['-c', `/usr/bin/docker import - ${IMAGE} < ${IMAGE_TAR}`], { encoding: 'utf8', env: { ...process.env, ...env } });
  if (imported.status !== 0) throw new Error(`docker import failed: ${imported.stderr}\n${log.slice(-2000)}`);
  return {
    env,
    run,
    async stop() {
      const left = run(['ps', '-aq']).stdout.trim();
      if (left) run(['rm', '-f', ...left.split('\n')]);
      daemon.kill('SIGTERM');
      await exited;
    },
  };
}
