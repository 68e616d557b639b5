// A real dockerd (Debian's docker.io 20.10) on a data root and socket of the test's own, finding
// the plugin server as Docker finds every plugin: by its socket's name in /run/docker/plugins.
// Docker sends one Mount per container, each with an ID of its own, so the engine counts each
// container and names it.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { IMAGE, privateDocker, type Docker } from '../helpers/containers.js';
import { describeIf, dockerUp } from '../helpers/env.js';
import { mountsUnder, tempDir } from '../helpers/fixtures.js';
import { startServer, stopAllServers, type RunningServer } from '../helpers/plugin-server.js';

const waitFor = async (what: string, ok: () => boolean) => {
  for (let i = 0; i < 100; i++) {
    if (ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describeIf(dockerUp(), 'root, docker.io and the test image (test/setup/provision.sh)')('Docker on the plugin server', () => {
  let t: ReturnType<typeof tempDir>;
  let state: string;
  let docker: Docker;
  let server: RunningServer;
  /** The driver's name is the socket's: one of this run's own, so that nothing else is replaced. */
  const driver = `vm-test-${process.pid}`;
  const socket = `/run/docker/plugins/${driver}.sock`;
  const stored = () => JSON.parse(readFileSync(join(state, 'volumes.json'), 'utf8')).volumes;
  const run = (...args: string[]) => cli(state, args, { env: docker.env });
  const kernelMounts = (name: string) => mountsUnder(join(state, 'volumes', name));
  const detached = (...args: string[]) => {
    const r = docker.run(['run', '-d', '--network', 'none', ...args]);
    if (r.status !== 0) throw new Error(`docker run -d failed: ${r.stderr}`);
    return r.stdout.trim();
  };

  beforeAll(async () => {
    t = tempDir('vm-docker-');
    state = join(t.dir, 'state');
    server = await startServer(state, socket);
    docker = await privateDocker(join(t.dir, 'docker'));
  });
  afterAll(async () => {
    await docker?.stop();
    await stopAllServers();
    t?.cleanup();
  });

  it('creates a tmpfs with options through docker volume create', () => {
    const r = docker.run(['volume', 'create', '-d', driver, '-o', 'type=tmpfs', '-o', 'device=tmpfs', '-o', 'o=size=16m', 'shared']);
    expect(r.stderr).toBe('');
    expect(stored().shared).toMatchObject({ driver: 'local', options: { type: 'tmpfs', device: 'tmpfs', o: 'size=16m' } });
    expect(JSON.parse(docker.run(['volume', 'inspect', 'shared']).stdout)[0]).toMatchObject({ Name: 'shared', Driver: driver, Status: { Kind: 'tmpfs' } });
  });

  it('counts one container, then two, on one kernel mount; refuses the remove; unmounts when both end', async () => {
    const mp = join(state, 'volumes', 'shared', '_data');
    const a = detached('--name', 'first', '-v', 'shared:/data', IMAGE, 'sh', '-c', 'echo one > /data/one; sleep 120');
    await waitFor('the first container\'s file', () => existsSync(join(mp, 'one')));
    expect(stored().shared.mountCount).toBe(1);
    const b = detached('--name', 'second', '-v', 'shared:/data', IMAGE, 'sh', '-c', 'cat /data/one > /data/two; sleep 120');
    await waitFor('the second container\'s file', () => existsSync(join(mp, 'two')));
    expect(readFileSync(join(mp, 'two'), 'utf8')).toBe('one\n');
    expect(stored().shared.mountCount).toBe(2);
    expect(Object.keys(stored().shared.holders)).toHaveLength(2);
    expect(kernelMounts('shared').map((m) => m.fstype)).toEqual(['tmpfs']);

    // inspect asks Docker who they are.
    const [view] = JSON.parse(run('volume', 'inspect', 'shared').stdout);
    expect(view.UsedBy.map((h: { Engine: string }) => h.Engine)).toEqual(['docker', 'docker']);
    expect(view.Containers.map((c: { Name: string }) => c.Name).sort()).toEqual(['first', 'second']);
    expect(view.Containers.map((c: { ID: string }) => c.ID).sort()).toEqual([a, b].sort());

    const rm = run('volume', 'rm', 'shared');
    expect(rm.code).toBe(2);
    expect(rm.stderr).toMatch(/held by Docker mount \w{12}, Docker mount \w{12}/);
    expect(docker.run(['volume', 'rm', 'shared']).status).not.toBe(0);

    expect(docker.run(['rm', '-f', a]).status).toBe(0);
    expect(stored().shared.mountCount).toBe(1);
    expect(kernelMounts('shared')).toHaveLength(1);
    expect(docker.run(['rm', '-f', b]).status).toBe(0);
    expect(stored().shared.mountCount).toBe(0);
    expect(kernelMounts('shared')).toEqual([]);
  });

  it('lists the command line\'s volumes in docker volume ls, and docker volume rm removes one', () => {
    expect(run('volume', 'create', 'made-here').code).toBe(0);
    expect(docker.run(['volume', 'ls', '--format', '{{.Driver}} {{.Name}}']).stdout).toContain(`${driver} made-here`);
    expect(docker.run(['run', '--rm', '--network', 'none', '-v', 'made-here:/data', IMAGE, 'sh', '-c', 'echo hi > /data/x']).status).toBe(0);
    expect(readFileSync(join(state, 'volumes', 'made-here', '_data', 'x'), 'utf8')).toBe('hi\n');
    expect(docker.run(['volume', 'rm', 'made-here']).status).toBe(0);
    expect(stored()['made-here']).toBeUndefined();
  });

  it('loses no holder when the server is killed while a container holds a volume', async () => {
    const c = detached('-v', 'shared:/data', IMAGE, 'sleep', '120');
    expect(stored().shared.mountCount).toBe(1);
    await server.stop('SIGKILL');
    server = await startServer(state, socket);
    expect(docker.run(['rm', '-f', c]).status).toBe(0);
    expect(stored().shared.mountCount).toBe(0);
    expect(kernelMounts('shared')).toEqual([]);
  });
});
