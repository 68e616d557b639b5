// Who is on the other end of a loopback connection: the kernel's socket table names the uid
// that owns each socket. The browser host serves one user; another local user's connections
// are closed before they are read, so no one else can hold the host's descriptors or time.
//
// The host listens on 127.0.0.1 only, so its peers are in /proc/net/tcp, never in tcp6. The
// kernel prints that file by walking its whole connection hash table, whatever few sockets it
// holds, and the read blocks the host; a browser opens its connections in a burst, so one
// read serves every connection accepted in the same turn of the event loop.

import { readFileSync } from 'node:fs';

const hexPort = (field: string) => parseInt(field.slice(field.indexOf(':') + 1), 16);
/** A closed socket waiting out its last packets: the kernel lists it with uid 0, owned by no one. */
const TIME_WAIT = '06';

/**
 * The uid owning the socket whose local port is `peerPort` and whose remote port is
 * `ourPort`, in `table` (the text of /proc/net/tcp); null when no live socket is listed.
 */
export function peerUid(peerPort: number, ourPort: number, table: string): number | null {
  for (const line of table.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8) continue;
    if (hexPort(f[1]!) === peerPort && hexPort(f[2]!) === ourPort) return f[3] === TIME_WAIT ? null : Number(f[7]);
  }
  return null;
}

/** The socket table, read at most once per turn of the event loop unless a peer is missing from it. */
export class PeerTable {
  private text: string | null = null;

  constructor(private readonly read: () => string = () => readFileSync('/proc/net/tcp', 'utf8')) {}

  /**
   * The uid of the peer at `peerPort`, for a connection already accepted: a table read earlier
   * in this turn may predate that connection, so a peer it does not list is looked up afresh.
   */
  uidOf(peerPort: number, ourPort: number): number | null {
    if (this.text !== null) {
      const uid = peerUid(peerPort, ourPort, this.text);
      if (uid !== null) return uid;
    }
    if (this.text === null) setImmediate(() => (this.text = null));
    try {
      this.text = this.read();
    } catch {
      this.text = null;
      return null;
    }
    return peerUid(peerPort, ourPort, this.text);
  }
}
