// The browser host's gate. It listens on loopback only, and every request must carry the
// token printed in the URL (a header for calls, a query parameter for the WebSocket, which
// browsers cannot give headers), and name this host in Host and Origin, so that neither
// another local user's process nor a web page that rebinds a DNS name to 127.0.0.1 can
// drive it.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_HEADER = 'x-volume-manager-token';

export const newToken = () => randomBytes(32).toString('base64url');

export function sameToken(given: string | undefined | null, token: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Host must be this host by loopback address or localhost; Origin, when sent, likewise. */
export function sameHost(req: IncomingMessage, port: number): boolean {
  const allowed = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!allowed.includes(req.headers.host ?? '')) return false;
  const origin = req.headers.origin;
  return origin === undefined || allowed.some((h) => origin === `http://${h}`);
}
