// The plugin protocol's HTTP: one POST per call, a JSON body in and out, an error as HTTP 500
// with {"Err": "..."} (podman reads any status but 200 as failure and ignores Err on a 200).
// Whoever can open the socket may call, so the socket's place and mode are the gate
// (socket.ts); this only keeps any caller from ending the server or holding it: bodies are
// capped, half-sent requests and idle connections are timed out, connections are counted, and
// every request is answered whatever it holds.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isPluginContentType, type PluginCall } from '../../../app/plugin-client/protocol.js';
import { toGuided } from '../../../app/errors/guided-error.js';
import { errText, type Endpoints } from './endpoints.js';

/** The largest body a call needs is a Create with its options; nothing near this. */
export const MAX_BODY = 64 * 1024;
const HEADERS_MS = 10_000;
/** The whole request, body included, must arrive in this time; answering may take longer (a prompt). */
const REQUEST_MS = 10_000;
const IDLE_MS = 60_000;
const MAX_CONNECTIONS = 128;
const TYPE = 'application/vnd.docker.plugins.v1.2+json';

class BodyProblem extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': TYPE, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY) return reject(new BodyProblem(413, `request body larger than ${MAX_BODY} bytes`));
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyProblem(413, `request body larger than ${MAX_BODY} bytes`));
      } else chunks.push(c);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8').trim();
      if (!text) return resolve({});
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return reject(new BodyProblem(400, 'request body is not JSON'));
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return reject(new BodyProblem(400, 'request body is not a JSON object'));
      resolve(parsed as Record<string, unknown>);
    });
    req.on('error', reject);
  });
}

/** An HTTP server that answers the plugin protocol with `endpoints`; not yet listening. */
export function pluginHttpServer(endpoints: Endpoints): Server {
  const calls = new Set(Object.keys(endpoints));
  const server = createServer((req, res) => {
    void serve(req, res).catch((err) => send(res, 500, { Err: errText(toGuided(err).toJSON()) }));
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const call = (req.url ?? '').replace(/^\//, '').split('?')[0]!;
    if (req.method !== 'POST') {
      req.resume();
      return send(res, 405, { Err: `${req.method} is not a plugin call: every call is a POST` });
    }
    if (!calls.has(call)) {
      req.resume();
      return send(res, 404, { Err: `unknown call ${JSON.stringify(call.slice(0, 64))}` });
    }
    if (!isPluginContentType(req.headers['content-type'])) {
      req.resume();
      return send(res, 415, { Err: `Content-Type ${JSON.stringify(req.headers['content-type'])} is not the plugin protocol's JSON` });
    }
    let body: Record<string, unknown>;
    try {
      body = await readBody(req);
    } catch (err) {
      if (err instanceof BodyProblem) return send(res, err.status, { Err: err.message });
      throw err;
    }
    let gone = false;
    res.on('close', () => {
      if (!res.writableFinished) gone = true;
    });
    const value = await endpoints[call as PluginCall](body, { gone: () => gone });
    send(res, 200, value);
  }

  server.maxConnections = MAX_CONNECTIONS;
  server.headersTimeout = HEADERS_MS;
  server.requestTimeout = REQUEST_MS;
  server.keepAliveTimeout = 5_000;
  server.on('connection', (socket) => {
    socket.on('error', () => socket.destroy());
    socket.setTimeout(IDLE_MS, () => socket.destroy());
  });
  // An accept that fails (EMFILE under a flood) is the flood's problem, not the server's end.
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  return server;
}
