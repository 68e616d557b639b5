// podman's --url for another machine: ssh://[USER@]HOST[:PORT]. What it names becomes words of
// an ssh argv (never a shell's), and is checked so that no part of it can be read as an
// option: a host or user that starts with "-" is refused, as are spaces and control characters.

import { invalidRequest } from '../../../app/errors/catalogue.js';

export interface SshUrl {
  user?: string;
  host: string;
  port: number;
  /** The URL as given, for messages and the connection list. */
  url: string;
}

const USER = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$/;
const HOST = /^(?:[A-Za-z0-9][A-Za-z0-9.-]{0,252}|\[[0-9A-Fa-f:.]{2,45}\])$/;

export function parseSshUrl(url: string): SshUrl {
  const m = /^ssh:\/\/(?:([^@/]*)@)?([^/:@[\]]+|\[[^\]]*\])(?::(\d{1,5}))?\/?$/.exec(url);
  if (!m) throw invalidRequest(`--url ${JSON.stringify(url)}: expected ssh://[USER@]HOST[:PORT]`);
  const [, user, host, port] = m;
  if (user !== undefined && !USER.test(user)) throw invalidRequest(`--url ${JSON.stringify(url)}: ${JSON.stringify(user)} is not a user name`);
  if (!HOST.test(host!)) throw invalidRequest(`--url ${JSON.stringify(url)}: ${JSON.stringify(host)} is not a host name or address`);
  const p = port === undefined ? 22 : Number(port);
  if (p < 1 || p > 65535) throw invalidRequest(`--url ${JSON.stringify(url)}: port ${port} is out of range`);
  return { ...(user ? { user } : {}), host: host!, port: p, url };
}

/** The machine as messages name it: USER@HOST[:PORT]. */
export const machineName = (u: SshUrl) => `${u.user ? `${u.user}@` : ''}${u.host}${u.port === 22 ? '' : `:${u.port}`}`;
