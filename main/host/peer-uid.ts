// Who is on the other end of a loopback connection: the kernel's socket table names the uid
// that owns each socket. The browser host serves one user; another local user's connections
// are closed before they are read, so no one else can hold the host's descriptors or time.

import { readFileSync } from 'node:fs';

const hexPort = (field: string) => parseInt(field.slice(field.indexOf(':') + 1), 16);

/**
 * The uid owning the socket whose local port is `peerPort` and whose remote port is
 * `ourPort`, from /proc/net/tcp (and tcp6); null when no such socket is listed.
 */
export function peerUid(peerPort: number, ourPort: number, table: (file: string) => string = (f) => readFileSync(f, 'utf8')): number | null {
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = table(file);
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 8) continue;
      if (hexPort(f[1]!) === peerPort && hexPort(f[2]!) === ourPort) return Number(f[7]);
    }
  }
  return null;
}
