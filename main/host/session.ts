// How a browser comes in without the host's secret ever sitting in an address: the printed
// address carries a one-time login ticket, which the host exchanges for an HttpOnly,
// SameSite=Strict cookie holding the secret and then redirects to the bare page, so what the
// browser's history keeps is a spent ticket. A download (which cannot send a header) carries
// a single-use ticket for that one volume and transfer, asked for by a call that has the
// cookie. Programs that are not browsers send the secret in a header, as before.

import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { sameToken } from './security.js';

/**
 * The cookie's name, one per port: a browser sends every cookie of 127.0.0.1 to every port of
 * it, so two hosts of one user would otherwise take each other's. What reaches another port
 * is of no use there: the host closes connections from any user but its own and root.
 */
export const cookieName = (port: number) => `vm-session-${port}`;

const DOWNLOAD_TICKET_MS = 60_000;

const newTicket = () => randomBytes(24).toString('base64url');

export class Session {
  private readonly logins = new Set<string>();
  private readonly downloads = new Map<string, { name: string; id: string; expires: number }>();

  /** The port the host listens on, once it does (it names the cookie). */
  port = 0;

  constructor(readonly secret: string) {}

  /** A login ticket for the printed address; good once. */
  newLogin(): string {
    const t = newTicket();
    this.logins.add(t);
    return t;
  }

  /** Spends a login ticket; false when it is unknown or spent already. */
  takeLogin(ticket: string | null): boolean {
    return ticket !== null && this.logins.delete(ticket);
  }

  /** The cookie a spent login ticket buys, for this host only and never readable by the page. */
  cookie(): string {
    return `${cookieName(this.port)}=${this.secret}; HttpOnly; SameSite=Strict; Path=/`;
  }

  /** Whether the request carries the session cookie. */
  hasCookie(req: IncomingMessage): boolean {
    const header = req.headers.cookie;
    if (typeof header !== 'string') return false;
    return header.split(';').some((part) => {
      const [k, ...v] = part.trim().split('=');
      return k === cookieName(this.port) && sameToken(v.join('='), this.secret);
    });
  }

  /** A ticket for downloading the archive of `name` as transfer `id`, good once, for a minute. */
  newDownload(name: string, id: string): string {
    const now = Date.now();
    for (const [t, d] of this.downloads) if (d.expires < now) this.downloads.delete(t);
    const t = newTicket();
    this.downloads.set(t, { name, id, expires: now + DOWNLOAD_TICKET_MS });
    return t;
  }

  /** Spends a download ticket, which must name this volume and transfer. */
  takeDownload(ticket: string | null, name: string | null, id: string | null): boolean {
    const d = ticket === null ? undefined : this.downloads.get(ticket);
    if (!d) return false;
    this.downloads.delete(ticket!);
    return d.expires >= Date.now() && d.name === name && d.id === id;
  }
}
