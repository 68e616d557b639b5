// Checks an NFS volume before mount is asked to mount it: mount.nfs against a dead server
// retries for minutes, while these checks answer in a second with a precise reason.

import { existsSync } from 'node:fs';
import { invalidOption, nfsExportNotFound, nfsHelperMissing, nfsServerUnreachable } from '../../errors/catalogue.js';
import { execArgv } from '../../system/exec-argv.js';
import type { NfsExport } from '../../api/types.js';

export const NFS_HELPERS = ['/sbin/mount.nfs', '/usr/sbin/mount.nfs'];
const HOST = /^([A-Za-z0-9][A-Za-z0-9.-]{0,252}|[0-9A-Fa-f:.]{2,45})$/;

export function assertNfsServer(server: unknown): asserts server is string {
  if (typeof server !== 'string' || !HOST.test(server)) {
    throw invalidOption(`invalid NFS server ${JSON.stringify(server)}: a host name or an IP address`);
  }
}

export const nfsHelperInstalled = (helpers = NFS_HELPERS) => helpers.some((h) => existsSync(h));

/** Resolves when a TCP connection to server:port opens; rejects with the socket error. */
export async function tcpReachable(server: string, port: number, timeoutMs: number): Promise<void> {
  const { connect } = await import('node:net');
  return new Promise((resolve, reject) => {
    const socket = connect({ host: server, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connect to ${server}:${port} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.end();
      resolve();
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** The server's exports via showmount (MOUNT protocol); null when that cannot be asked. */
export async function listExports(server: string, timeoutMs = 5_000): Promise<{ exports: NfsExport[] | null; error: string; missing?: boolean }> {
  assertNfsServer(server);
  const r = await execArgv('showmount', ['-e', '--no-headers', server], { timeoutMs });
  if (r.spawnError?.code === 'ENOENT') return { exports: null, error: r.output, missing: true };
  if (r.spawnError || r.timedOut || r.code !== 0) {
    return { exports: null, error: r.timedOut ? `showmount -e ${server} timed out after ${timeoutMs} ms` : r.output };
  }
  const exports = r.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [path = '', ...clients] = l.split(/\s+/);
      return { path, clients: clients.join(' ') };
    });
  return { exports, error: '' };
}

/** The exports a server offers, for choosing one before creating an NFS volume. */
export async function nfsExports(server: string): Promise<NfsExport[]> {
  assertNfsServer(server);
  const { exports, error, missing } = await listExports(server);
  // showmount comes with nfs-common, as mount.nfs does; a machine without it cannot ask.
  if (missing) throw nfsHelperMissing(`showmount is not installed: ${error}`);
  // showmount asks the server's portmapper (port 111) first.
  if (!exports) throw nfsServerUnreachable(server, 111, error);
  return exports;
}

const underExport = (path: string, exp: string) => path === exp || exp === '/' || path.startsWith(`${exp.replace(/\/$/, '')}/`);

/**
 * Throws the guided error a mount would end in, before mounting: helper missing, server
 * not answering on its NFS port, or a path the server does not export. A server that does
 * not speak the MOUNT protocol (NFSv4-only) cannot be asked for exports and passes.
 */
export async function probeNfs(nfs: { server: string; path: string; port: number }, timeoutMs = 3_000): Promise<void> {
  if (!nfsHelperInstalled()) throw nfsHelperMissing(`none of ${NFS_HELPERS.join(', ')} exists`);
  try {
    await tcpReachable(nfs.server, nfs.port, timeoutMs);
  } catch (err) {
    throw nfsServerUnreachable(nfs.server, nfs.port, (err as Error).message);
  }
  const { exports } = await listExports(nfs.server, timeoutMs);
  if (exports && !exports.some((e) => underExport(nfs.path, e.path))) {
    throw nfsExportNotFound(nfs.server, nfs.path, exports.map((e) => e.path));
  }
}
