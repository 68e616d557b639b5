// The browser host: the window's page and the API contract over loopback HTTP, with change
// events over a WebSocket. It is what `npm start` serves where Electron cannot run, and a
// feature for headless machines (reach it through an SSH tunnel).

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { DOWNLOAD_TICKET_ROUTE, EXPORT_ROUTE, IMPORT_ROUTE, type HostMessage } from '../../app/api/bridge.js';
import { transferRequest } from '../../app/api/parsers.js';
import { operations, type Operation } from '../../app/api/contract.js';
import type { CommandLine } from '../../app/api/types.js';
import { createHandlers, dispatch } from '../../app/handlers/handlers.js';
import { ListChanges } from '../../app/volume/list-changes.js';
import { WindowServing } from '../shared/plugin-server/window-serving.js';
import { Machines } from '../shared/remote/machines.js';
import { Transfers } from '../../app/transfer/window-transfers.js';
import { invalidRequest } from '../../app/errors/catalogue.js';
import { toGuided } from '../../app/errors/guided-error.js';
import type { VolumeEngine } from '../../app/volume/engine.js';
import { watchChanges } from '../shared/change-watcher.js';
import { openMountpoint, type Opener } from '../shared/open-mountpoint.js';
import { PeerTable } from './peer-uid.js';
import { requestTarget } from './request-target.js';
import { CSP } from '../shared/csp.js';
import { newToken, sameHost, sameToken, TOKEN_HEADER } from './security.js';
import { Session } from './session.js';
import { loadStatic } from './static-files.js';
import { serveExport, serveImport } from './transfer-routes.js';

export interface HostOptions {
  engine: VolumeEngine;
  rendererDir: string;
  /** 0 picks a free port. */
  port?: number;
  opener: Opener;
  /** Fixed token for tests that must know it before start; random otherwise. */
  token?: string;
  /** How the command line runs here, for the commands in guided errors (main/shared/command-line.ts). */
  commandLine?: CommandLine;
  /** Told when a browser spent a login address, so that another can be printed. */
  onLogin?: () => void;
  /** The folder of the cli.cjs that is copied to other machines the window reaches; none: no other machines. */
  bundle?: string;
  /** Told when the start-up work (the first list, which reconciles the store) failed. */
  startUpFailed?: (err: unknown) => void;
}

/** The page's script: once it has gone out, the browser has what it needs for a while. */
const PAGE_SCRIPT = '/app.js';
/** The start-up work starts this long after the host listens if no browser fetched the page. */
const START_UP_AT_LATEST_MS = 1000;

export interface RunningHost {
  /** The address to open: a one-time login ticket, which the host exchanges for a cookie. */
  url: string;
  /** Another one-time address, for another browser. */
  loginUrl(): string;
  port: number;
  /** The secret programs send in the X-Volume-Manager-Token header; browsers hold it as a cookie. */
  token: string;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
/** Connections at once; beyond them the kernel's queue waits, and the host's descriptors last. */
const MAX_CONNECTIONS = 128;
/** A connection that says nothing for this long is closed (a change socket is exempt). */
const IDLE_MS = 15_000;
/** A request whose headers have not all arrived by then is dropped. */
const HEADERS_MS = 10_000;

/** `startedAt` (performance.now() when the call was read) adds a Server-Timing header: the
 * engine's and the serialisation's share of a round trip, shown by the browser's devtools. */
function send(res: ServerResponse, status: number, body: unknown, type = 'application/json', startedAt?: number) {
  const text = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const timing = startedAt === undefined ? {} : { 'Server-Timing': `app;dur=${(performance.now() - startedAt).toFixed(1)}` };
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...timing });
  res.end(text);
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(invalidRequest(`request body larger than ${MAX_BODY} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(text ? JSON.parse(text) : {});
      } catch {
        reject(invalidRequest('request body is not JSON'));
      }
    });
    req.on('error', reject);
  });
}

export async function startHost(o: HostOptions): Promise<RunningHost> {
  const token = o.token ?? newToken();
  const session = new Session(token);
  const files = loadStatic(o.rendererDir);
  let port = 0;
  const owner = process.getuid?.() ?? -1;

  /**
   * A program's call carries the secret in its header; a browser's carries the cookie, and
   * then must say where it comes from (Origin, checked by sameHost): a page on another
   * loopback port is the same site, and would otherwise be sent the cookie too.
   */
  const authorised = (req: IncomingMessage) => sameToken(req.headers[TOKEN_HEADER] as string | undefined, token) || (session.hasCookie(req) && req.headers.origin !== undefined);
  const transfers = new Transfers((transfer) => broadcast({ what: 'transfer', transfer }));
  // The plugin server for containers runs in this process while the host runs, once asked.
  const serving = new WindowServing(o.engine);
  const machines = o.bundle ? new Machines(o.bundle) : undefined;
  // The start-up work: the list a browser asks for first, built ahead, which reconciles every
  // volume with the mount table as it lists them. It is synchronous in long stretches, and a
  // browser waits for the page's files while it runs, so it starts once the page's script has
  // gone out (the browser compiles it meanwhile), or a second after the host listens if no
  // browser came. Every API call waits for it.
  const changes = new ListChanges(o.engine);
  let started: Promise<void> | undefined;
  const startUp = () => (started ??= changes.prepare().catch((err: unknown) => o.startUpFailed?.(err)));
  const api = createHandlers(o.engine, transfers, o.commandLine, serving, machines, changes);
  /** ?machine=NAME: a transfer of that machine's volume. */
  const elsewhereOf = (query: URLSearchParams) => {
    const machine = query.get('machine');
    return machine && machines ? machines.elsewhere(machine) : undefined;
  };

  // Every request is answered, whatever it holds: a throw here would end the host, and any
  // page in any tab can send one (it needs neither the token nor the right Host to try).
  const server = createServer((req, res) => {
    void serve(req, res).catch((err) => {
      if (!res.headersSent) send(res, 500, { ok: false, error: toGuided(err).toJSON() });
      else res.destroy();
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!sameHost(req, port)) return send(res, 403, { error: 'wrong Host or Origin' });
    const { path, query } = requestTarget(req.url);
    if (req.method === 'GET' && path === EXPORT_ROUTE) {
      const ticketed = session.takeDownload(query.get('ticket'), query.get('name'), query.get('id'));
      if (!ticketed && !sameToken(req.headers[TOKEN_HEADER] as string | undefined, token)) return send(res, 401, { error: 'missing, spent or wrong download ticket' });
      await startUp();
      return serveExport(o.engine, transfers, query, res, send, elsewhereOf(query));
    }
    if (req.method === 'PUT' && path === IMPORT_ROUTE) {
      if (!authorised(req)) return send(res, 401, { error: 'missing or wrong token' });
      await startUp();
      return serveImport(o.engine, transfers, query, req, res, send, elsewhereOf(query));
    }
    if (req.method === 'GET' && path === '/' && query.has('ticket')) {
      // Spent or not, the ticket leaves the address; only a good one buys the cookie.
      const headers: Record<string, string> = { Location: '/', 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' };
      if (session.takeLogin(query.get('ticket'))) {
        headers['Set-Cookie'] = session.cookie();
        o.onLogin?.();
      }
      res.writeHead(303, headers);
      return void res.end();
    }
    if (req.method === 'GET') {
      const file = files.get(path);
      if (!file) return send(res, 404, 'not found', 'text/plain');
      res.writeHead(200, { 'Content-Type': file.type, 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' });
      if (path === PAGE_SCRIPT) res.once('finish', () => void startUp());
      return void res.end(file.body);
    }
    if (req.method !== 'POST') return send(res, 405, { error: 'method not allowed' });
    if (!authorised(req)) return send(res, 401, { error: 'missing or wrong token' });
    try {
      const body = await readJson(req);
      await startUp();
      if (path === '/host/open') return send(res, 200, await openMountpoint(o.engine, (body as { name?: unknown }).name, o.opener));
      if (path === DOWNLOAD_TICKET_ROUTE) {
        const { name, id } = transferRequest(body, 'export');
        return send(res, 200, { ok: true, value: { Ticket: session.newDownload(name, id) } });
      }
      const op = path.replace(/^\/api\//, '');
      if (!path.startsWith('/api/') || !operations.includes(op as Operation)) return send(res, 404, { error: `no operation ${JSON.stringify(op)}` });
      const startedAt = performance.now();
      // ?machine=NAME: the same call on another machine's engine, over its session.
      const machine = query.get('machine');
      const target = machine && machines ? machines.apiFor(machine, api) : api;
      send(res, 200, await dispatch(target, op as Operation, body), 'application/json', startedAt);
    } catch (err) {
      send(res, 200, { ok: false, error: toGuided(err, 'INVALID_REQUEST').toJSON() });
    }
  }

  // Another user's connection is closed before anything is read; the owner's (and root's) are capped and
  // timed, so neither idle connections nor half-sent requests can hold every descriptor.
  server.maxConnections = MAX_CONNECTIONS;
  server.headersTimeout = HEADERS_MS;
  server.requestTimeout = 0;
  const peers = new PeerTable();
  server.on('connection', (socket) => {
    socket.on('error', () => socket.destroy());
    // Root may come in too: it could read the secret out of this process anyway.
    const peer = peers.uidOf(socket.remotePort ?? -1, port);
    if (peer !== owner && peer !== 0) return void socket.destroy();
    socket.setTimeout(IDLE_MS, () => socket.destroy());
  });
  // An accept that fails (EMFILE under a flood) is the flood's problem, not the host's end.
  server.on('error', () => undefined);

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  sockets.on('error', () => undefined);
  sockets.on('connection', (ws) => {
    // An oversized or malformed frame (too long, bad UTF-8, an RSV bit, no mask, a bad close
    // code) closes that socket; unhandled, its 'error' would end the host.
    ws.on('error', () => ws.terminate());
  });
  server.on('upgrade', (req, socket, head) => {
    // A reset connection must not become an unhandled 'error' event that ends the host.
    socket.on('error', () => socket.destroy());
    try {
      const { path, query } = requestTarget(req.url);
      const allowed = sameToken(query.get('token'), token) || authorised(req);
      if (path !== '/events' || !sameHost(req, port) || !allowed) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
        return;
      }
      // A change socket is quiet until something changes: it is not idle, it is waiting.
      (socket as Socket).setTimeout(0);
      sockets.handleUpgrade(req, socket, head, (ws) => sockets.emit('connection', ws, req));
    } catch {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    }
  });
  function broadcast(e: HostMessage) {
    const text = JSON.stringify(e);
    for (const ws of sockets.clients) ws.send(text, () => undefined);
  }
  const stopWatching = watchChanges(o.engine, broadcast);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', resolve);
  });
  port = (server.address() as AddressInfo).port;
  const atLatest = setTimeout(() => void startUp(), START_UP_AT_LATEST_MS);
  session.port = port;
  const loginUrl = () => `http://127.0.0.1:${port}/?ticket=${session.newLogin()}`;
  return {
    port,
    token,
    url: loginUrl(),
    loginUrl,
    async close() {
      clearTimeout(atLatest);
      transfers.cancelAll();
      await serving.close();
      await machines?.close();
      stopWatching();
      for (const ws of sockets.clients) ws.terminate();
      sockets.close();
      await new Promise<void>((r) => server.close(() => r()));
      o.engine.close();
    },
  };
}
