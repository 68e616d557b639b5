// Starts the repository's test plugin (dist/test-plugin.mjs) as a real process on a real
// socket, and stops it by its PID. Also a raw protocol call, for changing a plugin's volumes
// behind the engine's back.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tempDir } from './fixtures.js';
import { request } from 'node:http';
import { join, resolve } from 'node:path';

export const TEST_PLUGIN = resolve(import.meta.dirname, '../../dist/test-plugin.mjs');

export interface RunningPlugin {
  /** `unix:///…` or `tcp://host:port`, as the plugin printed it. */
  address: string;
  socket?: string;
  root: string;
  pid: number;
  /** Calls received so far, oldest first. */
  calls(): { call: string; body: Record<string, unknown> }[];
  /** SIGTERM (the plugin removes its socket) or SIGKILL (the socket file stays behind). */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

export interface PluginOptions {
  /** unix:///path.sock or tcp://127.0.0.1:0 */
  listen: string;
  /** Where the plugin keeps its state, volumes and call log; reuse it to restart a plugin. */
  root: string;
  fail?: Record<string, string>;
  hang?: string[];
  contentType?: string;
  scope?: 'local' | 'global';
  /** A plugin that lies: every Mount answers this path. */
  lieMountpoint?: string;
}

const running = new Set<ChildProcess>();

export function startPlugin(o: PluginOptions): Promise<RunningPlugin> {
  if (!existsSync(TEST_PLUGIN)) throw new Error(`${TEST_PLUGIN} is missing: run npm run build first (npm test does)`);
  const log = join(o.root, 'calls.jsonl');
  const args = [TEST_PLUGIN, '--listen', o.listen, '--root', o.root, '--log', log];
  for (const [call, msg] of Object.entries(o.fail ?? {})) args.push('--fail', `${call}=${msg}`);
  for (const call of o.hang ?? []) args.push('--hang', call);
  if (o.contentType) args.push('--content-type', o.contentType);
  if (o.scope) args.push('--scope', o.scope);
  if (o.lieMountpoint) args.push('--lie-mountpoint', o.lieMountpoint);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  return new Promise((done, fail) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    child.on('exit', (code) => fail(new Error(`test plugin exited with ${code} before listening: ${err}`)));
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /^listening (\S+)$/m.exec(out);
      if (!m) return;
      child.removeAllListeners('exit');
      const address = m[1]!;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      done({
        address,
        socket: address.startsWith('unix://') ? address.slice('unix://'.length) : undefined,
        root: o.root,
        pid: child.pid!,
        calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []),
        async stop(signal = 'SIGTERM') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          await exited;
          running.delete(child);
        },
      });
    });
  });
}

/** Stops every plugin this file started that a test left running (by PID, never by name). */
export async function stopAllPlugins(): Promise<void> {
  const left = [...running].filter((c) => c.exitCode === null && c.signalCode === null);
  await Promise.all(left.map((c) => new Promise((r) => c.once('exit', r).kill('SIGTERM'))));
  running.clear();
}

/** One protocol call straight to a plugin's socket, as another tool of the user's would make it. */
export function rawCall(socket: string, call: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((done, fail) => {
    const payload = JSON.stringify(body);
    const req = request({ socketPath: socket, path: `/${call}`, method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: JSON.parse(text || '{}') }));
    });
    req.on('error', fail);
    req.end(payload);
  });
}

/**
 * A suite's socket directory for plugins, in a temporary directory of its own: plugins are
 * stopped after each test and the sockets they left removed (a dead one would be found by the
 * next test); all is removed after the suite.
 */
export function pluginSuite(prefix: string, hooks: { beforeAll: (fn: () => void) => void; afterEach: (fn: () => Promise<void>) => void; afterAll: (fn: () => void) => void }) {
  const ctx = { dir: '', sockets: '' };
  let t: ReturnType<typeof tempDir> | undefined;
  hooks.beforeAll(() => {
    t = tempDir(prefix);
    ctx.dir = t.dir;
    ctx.sockets = join(t.dir, 'sockets');
    mkdirSync(ctx.sockets);
  });
  hooks.afterEach(async () => {
    await stopAllPlugins();
    for (const f of readdirSync(ctx.sockets)) rmSync(join(ctx.sockets, f), { force: true });
  });
  hooks.afterAll(() => t?.cleanup());
  return ctx;
}
