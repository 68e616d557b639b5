import { createServer, connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { PeerTable, peerUid } from './peer-uid.js';

const HEAD = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
const line = (sl: number, local: string, remote: string, st: string, uid: number) => `   ${sl}: ${local} ${remote} ${st} 00000000:00000000 00:00000000 00000000  ${uid}        0 ${sl + 1} 1\n`;

describe('the peer of a loopback connection', () => {
  it('is found in the kernel socket table with its uid', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const accepted = new Promise<number>((r) => server.once('connection', (s) => r(s.remotePort!)));
    const client = connect(port, '127.0.0.1');
    const peerPort = await accepted;
    const table = new PeerTable();
    expect(table.uidOf(peerPort, port)).toBe(process.getuid!());
    expect(table.uidOf(peerPort, port + 1 > 65535 ? 1 : port + 1)).toBeNull();
    client.destroy();
    server.close();
  });

  it('reads the table as the kernel prints it', () => {
    const table = HEAD + line(0, '0100007F:1F90', '00000000:0000', '0A', 0) + line(1, '0100007F:D431', '0100007F:1F90', '01', 1001);
    expect(peerUid(0xd431, 0x1f90, table)).toBe(1001);
    expect(peerUid(0xd432, 0x1f90, table)).toBeNull();
  });

  it('does not take a closed peer (TIME_WAIT, which the kernel lists with uid 0) for root', () => {
    // Another user connects, sends a request and closes at once: by the time the host looks,
    // the peer's socket may be a TIME_WAIT entry, and those carry no owner.
    const table = HEAD + line(0, '0100007F:D431', '0100007F:1F90', '06', 0);
    expect(peerUid(0xd431, 0x1f90, table)).toBeNull();
  });

  it('reads the table once for the connections of one burst, and again for a peer it does not list', async () => {
    let reads = 0;
    let text = HEAD + line(0, '0100007F:D431', '0100007F:1F90', '01', 1001) + line(1, '0100007F:D432', '0100007F:1F90', '01', 1001);
    const table = new PeerTable(() => (reads++, text));
    expect(table.uidOf(0xd431, 0x1f90)).toBe(1001);
    expect(table.uidOf(0xd432, 0x1f90)).toBe(1001);
    expect(reads).toBe(1);
    // Established after that read, in the same burst: a miss reads the table again.
    text += line(2, '0100007F:D433', '0100007F:1F90', '01', 1002);
    expect(table.uidOf(0xd433, 0x1f90)).toBe(1002);
    expect(reads).toBe(2);
    expect(table.uidOf(0xd499, 0x1f90)).toBeNull();
    expect(reads).toBe(3);
    // The next burst reads afresh: a port seen before may now be someone else's.
    await new Promise((r) => setImmediate(r));
    text = HEAD + line(0, '0100007F:D431', '0100007F:1F90', '01', 1003);
    expect(table.uidOf(0xd431, 0x1f90)).toBe(1003);
    expect(reads).toBe(4);
  });
});
