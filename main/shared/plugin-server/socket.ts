// Where the plugin server listens, and how it takes the place: whoever can open the socket may
// mount, unmount and remove volumes as the server's user, so the socket is 0600 in a folder
// only its user may enter, or handed over by systemd (socket activation), whose unit says who
// may connect. A socket file left by a server killed with SIGKILL is taken over; a live
// server's is not, and anything there that is not a socket is never touched.

import { chmodSync, lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import { connect } from 'node:net';
import type { Server } from 'node:http';
import { dirname, join } from 'node:path';
import { GuidedError } from '../../../app/errors/guided-error.js';
import { SELF_PLUGIN } from '../../../app/plugin-client/protocol.js';

/** Docker discovers the plugin by its socket's name: PLUGIN_NAME.sock. */
export const PLUGIN_NAME = SELF_PLUGIN;

/** VOLUME_MANAGER_PLUGIN_SOCKET where set; as root, Docker's own place for plugin sockets; as a user, the runtime directory. */
export function defaultSocket(env: NodeJS.ProcessEnv = process.env, uid = process.getuid?.() ?? 0): string {
  const chosen = env.VOLUME_MANAGER_PLUGIN_SOCKET;
  if (chosen) {
    if (!chosen.startsWith('/')) throw socketProblem(`VOLUME_MANAGER_PLUGIN_SOCKET=${JSON.stringify(chosen)} is not an absolute path`, 'Set it to an absolute path in a folder only you can write, or unset it.');
    return chosen;
  }
  if (uid === 0) return `/run/docker/plugins/${PLUGIN_NAME}.sock`;
  const runtime = env.XDG_RUNTIME_DIR;
  if (!runtime || !runtime.startsWith('/')) throw socketProblem('XDG_RUNTIME_DIR is not set, so there is no private runtime directory for the socket', 'Log in through a desktop session or systemd (which sets it), or pass --socket PATH in a directory only you can enter.');
  return join(runtime, PLUGIN_NAME, 'plugin.sock');
}

function socketProblem(happened: string, step: string): GuidedError {
  return new GuidedError({
    code: 'INVALID_REQUEST',
    title: 'The plugin server cannot listen there',
    happened,
    why: 'Whoever can open the plugin socket can mount, unmount and remove your volumes, so it is only made where you alone can reach it, and nothing else is replaced by it.',
    steps: [{ text: step }],
  });
}

/** Answers whether a server listens on the socket `path` (a refused or missing one: no). */
export function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    const done = (yes: boolean) => {
      s.destroy();
      resolve(yes);
    };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
    s.setTimeout(1000, () => done(true));
  });
}

/**
 * Makes `path` free for a socket: its folder made (0700 when it is ours to make), a socket
 * nobody answers on removed. A folder others may write, something else at the path, or a
 * server answering there is refused.
 */
export async function claimSocketPath(path: string): Promise<void> {
  const dir = dirname(path);
  const uid = process.getuid?.() ?? 0;
  mkdirSync(dir, { recursive: true, mode: uid === 0 ? 0o755 : 0o700 });
  const d = lstatSync(dir);
  if (!d.isDirectory() || (d.uid !== uid && d.uid !== 0) || (d.mode & 0o022) !== 0) {
    throw socketProblem(`${dir} is not a folder owned by you (or root) that only its owner may write`, 'Pass --socket PATH in a folder only you can write, such as $XDG_RUNTIME_DIR/volume-manager/.');
  }
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return;
  }
  if (!st.isSocket()) throw socketProblem(`${path} exists and is not a socket; it was left as it is`, 'Move it away, or pass --socket with another path.');
  if (await answers(path)) throw socketProblem(`a server already answers on ${path}`, 'Stop that one first (it is another volume-manager plugin serve, or the window serving containers), or pass --socket with another path.');
  unlinkSync(path);
}

/** The descriptor systemd passed this process (socket activation), or null. */
export function activatedFd(env: NodeJS.ProcessEnv = process.env, pid = process.pid): number | null {
  return env.LISTEN_PID === String(pid) && Number(env.LISTEN_FDS) >= 1 ? 3 : null;
}

/** Listens on `path` (claimed first) or on systemd's descriptor; resolves once listening. */
export async function listenPlugin(server: Server, where: { path: string } | { fd: number }): Promise<void> {
  if ('path' in where) await claimSocketPath(where.path);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      // Another server took the place between the claim and the listen.
      reject(err.code === 'EADDRINUSE' && 'path' in where ? socketProblem(`a server already answers on ${where.path}`, 'Stop that one first, or pass --socket with another path.') : err),
    );
    server.listen('path' in where ? { path: where.path } : { fd: where.fd }, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  if ('path' in where) chmodSync(where.path, 0o600);
  // Once listening, an accept that fails (EMFILE under a flood) is the flood's problem.
  server.on('error', () => undefined);
}
