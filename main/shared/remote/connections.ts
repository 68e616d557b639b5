// Named connections to other machines, as podman's `system connection`: a name, an ssh:// URL
// and an identity file, one of them the default. Kept in the user's configuration folder
// (0600); every entry is checked when read, as any file may have been edited by hand.

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { NAME_PATTERN } from '../../../app/api/option-shapes.js';
import { invalidRequest } from '../../../app/errors/catalogue.js';
import { parseSshUrl } from './ssh-url.js';

export interface Connection {
  url: string;
  identity?: string;
}

export interface Connections {
  default?: string;
  connections: Record<string, Connection>;
}

export const connectionsFile = (env: NodeJS.ProcessEnv = process.env) => join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'volume-manager', 'connections.json');

export function assertConnectionName(name: string): void {
  if (!NAME_PATTERN.test(name) || name.length > 64) throw invalidRequest(`connection name ${JSON.stringify(name)}: letters, digits, _ . and -, starting with a letter or digit`);
}

export function assertIdentity(path: string): void {
  if (!isAbsolute(path) || /[\u0000-\u001f\u007f]/.test(path)) throw invalidRequest(`--identity ${JSON.stringify(path)}: an absolute path to a private key`);
}

export function readConnections(file = connectionsFile()): Connections {
  if (!existsSync(file)) return { connections: {} };
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw invalidRequest(`${file} is not JSON; fix or remove it`);
  }
  const d = doc as Partial<Connections>;
  const out: Connections = { connections: {} };
  for (const [name, c] of Object.entries(d.connections ?? {})) {
    assertConnectionName(name);
    parseSshUrl(String(c?.url));
    if (c.identity !== undefined) assertIdentity(String(c.identity));
    out.connections[name] = { url: c.url, ...(c.identity ? { identity: c.identity } : {}) };
  }
  if (typeof d.default === 'string' && out.connections[d.default]) out.default = d.default;
  return out;
}

export function writeConnections(c: Connections, file = connectionsFile()): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(c, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}
