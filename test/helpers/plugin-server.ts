// The command line's `plugin serve` as a real process on a real socket, started and stopped
// by its PID, and a raw protocol call that can hang up before the answer.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { CLI } from './cli.js';

export interface RunningServer {
  pid: number;
  socket: string;
  /** What it printed on standard output so far. */
  output(): string;
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<number | null>;
}

const running = new Set<ChildProcess>();

/**
 * `plugin serve --socket SOCKET` over `stateDir`, as `user` when given (runuser), with `env`;
 * `implicit`: without --socket, where SOCKET is what the server should choose by itself.
 */
export function startServer(stateDir: string, socket: string, o: { user?: string; cliPath?: string; env?: NodeJS.ProcessEnv; implicit?: boolean } = {}): Promise<RunningServer> {
  const argv = [process.execPath, o.cliPath ?? CLI, '--state-dir', stateDir, 'plugin', 'serve', ...(o.implicit ? [] : ['--socket', socket])];
  const [file, ...args] = o.user ? ['runuser', '-u', o.user, '--', ...argv] : argv;
  const child = spawn(file!, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...o.env }, cwd: '/' });
  running.add(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code, sig) => r(code ?? (sig ? -1 : null))));
  return new Promise((done, fail) => {
    const early = (code: number | null) => fail(Object.assign(new Error(`plugin serve exited with ${code} before listening: ${err}`), { stderr: err, code }));
    child.once('exit', early);
    child.stdout!.on('data', () => {
      if (!/^serving volume plugin/m.test(out)) return;
      child.off('exit', early);
      done({
        pid: child.pid!,
        socket,
        output: () => out,
        async stop(signal = 'SIGTERM') {
          // runuser passes SIGTERM on; SIGKILL must reach the server itself, not runuser.
          if (signal === 'SIGKILL') {
            const inner = o.user ? Number(spawnSyncText('pgrep', ['-P', String(child.pid)]).trim().split('\n')[0]) : child.pid!;
            if (inner) process.kill(inner, 'SIGKILL');
            if (o.user) child.kill('SIGKILL');
          } else if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          const code = await exited;
          running.delete(child);
          return code;
        },
      });
    });
  });
}

const spawnSyncText = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' }).stdout ?? '';

/** Stops every server a test left running (by PID, never by name). */
export async function stopAllServers(): Promise<void> {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await exited;
    }
  }
  running.clear();
}

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** One protocol call as raw text, the way a hostile or broken client may send it. */
export function send(socket: string, call: string, payload: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }, method = 'POST'): Promise<Answer> {
  return new Promise((done, fail) => {
    const req = request({ socketPath: socket, path: `/${call}`, method, headers: { ...headers, 'Content-Length': String(Buffer.byteLength(payload)) } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        let body: Record<string, unknown>;
        try {
          body = JSON.parse(text || '{}');
        } catch {
          body = { text };
        }
        done({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', fail);
    req.end(payload);
  });
}

export const call = (socket: string, name: string, body: unknown = {}) => send(socket, name, JSON.stringify(body));
