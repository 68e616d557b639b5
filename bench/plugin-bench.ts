// A mount+unmount cycle through a volume plugin: the engine API (lock, store, counter, two
// protocol calls) against the same two calls made directly with one keep-alive HTTP client,
// both against the repository's test plugin on a Unix socket, interleaved in one run.

import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join, resolve } from 'node:path';
import { PSEUDO_ID } from '../app/plugin-client/protocol.js';
import { VolumeEngine } from '../app/volume/engine.js';
import { engineCycle, fmt, interleaved, verdict } from './measure.js';

const PLUGIN = resolve(import.meta.dirname, 'test-plugin.mjs');

function startPlugin(socket: string, root: string): Promise<() => void> {
  const child = spawn(process.execPath, [PLUGIN, '--listen', `unix://${socket}`, '--root', root], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((done, fail) => {
    child.on('exit', (code) => fail(new Error(`test plugin exited with ${code}`)));
    child.stdout!.on('data', (d: Buffer) => {
      if (!d.toString().includes('listening')) return;
      child.removeAllListeners('exit');
      done(() => child.kill('SIGTERM'));
    });
  });
}

function post(agent: Agent, socket: string, call: string, body: unknown): Promise<Record<string, unknown>> {
  const payload = JSON.stringify(body);
  return new Promise((done, fail) => {
    const req = request({ socketPath: socket, agent, path: `/${call}`, method: 'POST', headers: { 'Content-Length': Buffer.byteLength(payload) } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => {
        const parsed = JSON.parse(text) as Record<string, unknown>;
        if (res.statusCode !== 200 || parsed.Err) fail(new Error(`${call}: ${text}`));
        else done(parsed);
      });
    });
    req.on('error', fail);
    req.end(payload);
  });
}

export async function pluginCycles(root: string, rounds: number, say: (l: string) => void): Promise<void> {
  const sockets = join(root, 'plugin-sockets');
  mkdirSync(sockets, { recursive: true });
  const socket = join(sockets, 'benchp.sock');
  const stop = await startPlugin(socket, join(root, 'plugin-root'));
  const engine = new VolumeEngine({ stateDir: join(root, 'plugin-state'), plugins: { socketDirs: [sockets], specDirs: [], containersConfs: [] } });
  const agent = new Agent({ keepAlive: true });
  try {
    await engine.create({ name: 'through-engine', driver: 'benchp' });
    await post(agent, socket, 'VolumeDriver.Create', { Name: 'direct', Opts: {} });
    const t = await interleaved(
      [
        { name: 'engine API', run: engineCycle(engine, 'through-engine') },
        {
          name: 'direct HTTP client',
          run: async () => {
            await post(agent, socket, 'VolumeDriver.Mount', { Name: 'direct', ID: PSEUDO_ID });
            await post(agent, socket, 'VolumeDriver.Unmount', { Name: 'direct', ID: PSEUDO_ID });
          },
        },
      ],
      rounds,
    );
    say(`\n# mount+unmount through a volume plugin (test plugin, Unix socket), median of ${rounds} interleaved rounds`);
    for (const [k, v] of t) say(`  ${k.padEnd(20)} ${fmt(v)}`);
    const ratio = t.get('engine API')! / t.get('direct HTTP client')!;
    say(verdict('engine API within 1.5x of the two calls made directly', ratio <= 1.5, `${ratio.toFixed(2)}x`));
  } finally {
    agent.destroy();
    engine.close();
    stop();
  }
}
