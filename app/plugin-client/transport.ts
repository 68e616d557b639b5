// One protocol call over HTTP: POST, JSON in, JSON out, with a hard deadline. Every way a
// call can fail ends here as a TransportError whose `reason` the client maps to a guided
// error, so that a plugin that hangs, vanished or is not a plugin never hangs the engine.
// Loaded only when a plugin is called: node:http and node:https cost every command start-up.

import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as TlsAgent, request as httpsRequest } from 'node:https';
import type { PluginAddress } from './address.js';
import { ACCEPT, isPluginContentType } from './protocol.js';
import { TransportError } from './transport-error.js';

/** The most a response body may hold: a List of thousands of volumes fits easily. */
const MAX_BODY = 16 * 1024 * 1024;

const UNREACHABLE = new Set(['ENOENT', 'ECONNREFUSED', 'ENOTSOCK', 'EACCES', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN']);

/** Keep-alive connections, one pool per address: the app makes many calls to one plugin. */
export function agentFor(address: PluginAddress): Agent {
  if (address.kind === 'tcp' && address.tls) {
    const t = address.tls;
    return new TlsAgent({
      keepAlive: true,
      ca: t.caFile ? readFileSync(t.caFile) : undefined,
      cert: t.certFile ? readFileSync(t.certFile) : undefined,
      key: t.keyFile ? readFileSync(t.keyFile) : undefined,
      rejectUnauthorized: !t.insecureSkipVerify,
    });
  }
  return new Agent({ keepAlive: true });
}

function errMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const err = (body as { Err?: unknown }).Err;
  return typeof err === 'string' && err !== '' ? err : undefined;
}

function decode(res: IncomingMessage, text: string, path: string): unknown {
  const type = res.headers['content-type'];
  const status = res.statusCode ?? 0;
  let body: unknown;
  try {
    body = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (status < 200 || status > 299) {
    // Plugins answer errors as {"Err": "..."} with any status; Go's http.Error sends text.
    const err = errMessage(body) ?? (text.trim() || `HTTP ${status}`);
    if (status === 404 && errMessage(body) === undefined) throw new TransportError('protocol', `POST ${path} answered HTTP 404: ${err.slice(0, 200)}`);
    throw new TransportError('plugin', err);
  }
  if (!isPluginContentType(type) || body === undefined || typeof body !== 'object' || body === null) {
    throw new TransportError('protocol', `POST ${path} answered ${type ?? 'no content type'} with ${JSON.stringify(text.slice(0, 120))}, not a plugin's JSON`);
  }
  const err = errMessage(body);
  if (err !== undefined) throw new TransportError('plugin', err);
  return body;
}

/** POSTs `body` to `/<call>` and resolves with the decoded response, within `timeoutMs`. */
export function post(address: PluginAddress, call: string, body: unknown, timeoutMs: number, agent?: Agent): Promise<unknown> {
  const path = `/${call}`;
  const payload = body === undefined ? '' : JSON.stringify(body);
  const headers = { Accept: ACCEPT, 'Content-Type': ACCEPT, 'Content-Length': Buffer.byteLength(payload), Host: 'plugin' };
  const target =
    address.kind === 'unix'
      ? { socketPath: address.path }
      : { host: address.host, port: address.port };
  const send = address.kind === 'tcp' && address.tls ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const req = send({ ...target, path, method: 'POST', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) req.destroy(new TransportError('protocol', `POST ${path} answered more than ${MAX_BODY} bytes`));
        else chunks.push(c);
      });
      res.on('end', () =>
        finish(() => {
          try {
            resolve(decode(res, Buffer.concat(chunks).toString('utf8'), path));
          } catch (err) {
            reject(err);
          }
        }),
      );
      res.on('error', (err) => finish(() => reject(classify(err, path))));
    });
    const timer = setTimeout(() => {
      finish(() => reject(new TransportError('timeout', `POST ${path} got no answer within ${timeoutMs / 1000} s`)));
      req.destroy();
    }, timeoutMs);
    req.on('error', (err) => finish(() => reject(classify(err, path))));
    req.end(payload);
  });
}

function classify(err: Error, path: string): TransportError {
  if (err instanceof TransportError) return err;
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (UNREACHABLE.has(code)) return new TransportError('unreachable', `POST ${path}: ${err.message}`);
  // Parser errors (HPE_*) and a peer that closes without answering are not the protocol.
  return new TransportError('protocol', `POST ${path}: ${err.message}${code ? ` (${code})` : ''}`);
}
