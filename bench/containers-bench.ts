// Containers on the plugin server: `podman run --rm -v VOL:/data IMAGE true` on a tmpfs volume
// served by `plugin serve` against the same on podman's own local tmpfs volume, on one private
// podman store, interleaved in one run; and the server's Mount+Unmount round trip (one
// keep-alive client, as podman's) against the engine API's own cycle.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { VolumeEngine } from '../app/volume/engine.js';
import { IMAGE, IMAGE_TAR, privatePodman } from '../test/helpers/containers.js';
import { startServer } from '../test/helpers/plugin-server.js';
import { fmt, interleaved, verdict } from './measure.js';

const ID = 'b'.repeat(64);

function post(agent: Agent, socket: string, call: string, body: unknown): Promise<void> {
  const payload = JSON.stringify(body);
  return new Promise((done, fail) => {
    const req = request({ socketPath: socket, agent, path: `/${call}`, method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => (res.statusCode === 200 ? done() : fail(new Error(`${call}: ${text}`))));
    });
    req.on('error', fail);
    req.end(payload);
  });
}

export async function containerCycles(root: string, cli: string, rounds: number, say: (l: string) => void): Promise<void> {
  say('\n# containers on the plugin server');
  if (!existsSync(IMAGE_TAR) || spawnSync('sh', ['-c', 'command -v podman && command -v runc']).status !== 0) {
    say(`  skipped: podman, runc and ${IMAGE_TAR} are needed (test/setup/provision.sh)`);
    return;
  }
  const dir = join(root, 'containers');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const state = join(dir, 'state');
  const socket = join(dir, 'plugin', 'plugin.sock');
  const server = await startServer(state, socket, { cliPath: cli });
  const podman = privatePodman(join(dir, 'podman'), { 'volume-manager': socket });
  const agent = new Agent({ keepAlive: true });
  try {
    const ok = (args: string[]) => {
      const r = podman.run(args);
      if (r.status !== 0) throw new Error(`podman ${args.join(' ')}: ${r.stderr}`);
    };
    ok(['volume', 'create', '--driver', 'volume-manager', '--opt', 'type=tmpfs', '--opt', 'device=tmpfs', '--opt', 'o=size=16m', 'served']);
    ok(['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'device=tmpfs', 'podmans-own']);
    const run = (volume: string) => () => ok(['run', '--rm', '--network', 'none', '-v', `${volume}:/data`, IMAGE, 'true']);
    const n = Math.min(rounds, 7);
    const t = await interleaved(
      [
        { name: 'plugin tmpfs', run: run('served') },
        { name: "podman's tmpfs", run: run('podmans-own') },
      ],
      n,
    );
    say(`  podman run --rm -v VOL:/data IMAGE true, median of ${n} interleaved rounds`);
    for (const [k, v] of t) say(`    ${k.padEnd(16)} ${fmt(v)}`);
    const ratio = t.get('plugin tmpfs')! / t.get("podman's tmpfs")!;
    say(verdict('a container on a plugin tmpfs within 1.3x of one on podman\'s own', ratio <= 1.3, `${ratio.toFixed(2)}x`));

    // The protocol's share: Mount+Unmount through the server against the engine's own cycle.
    const engine = new VolumeEngine({ stateDir: join(dir, 'engine') });
    await engine.create({ name: 'cycle', options: { type: 'tmpfs', size: '4m' } });
    await post(agent, socket, 'VolumeDriver.Create', { Name: 'cycle', Opts: { type: 'tmpfs', device: 'tmpfs', o: 'size=4m' } });
    const c = await interleaved(
      [
        {
          name: 'engine API',
          run: async () => {
            await engine.mount(['cycle']);
            await engine.unmount(['cycle']);
          },
        },
        {
          name: 'plugin protocol',
          run: async () => {
            await post(agent, socket, 'VolumeDriver.Mount', { Name: 'cycle', ID });
            await post(agent, socket, 'VolumeDriver.Unmount', { Name: 'cycle', ID });
          },
        },
      ],
      rounds,
    );
    say(`  tmpfs Mount+Unmount, median of ${rounds} interleaved rounds`);
    for (const [k, v] of c) say(`    ${k.padEnd(16)} ${fmt(v)}`);
    say(`    the server's round trip against the engine API: ${(c.get('plugin protocol')! / c.get('engine API')!).toFixed(2)}x`);
    engine.close();
  } finally {
    agent.destroy();
    podman.cleanup();
    await server.stop();
  }
}
