import { createServer, connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { peerUid } from './peer-uid.js';

describe('the peer of a loopback connection', () => {
  it('is found in the kernel socket table with its uid', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const accepted = new Promise<number>((r) => server.once('connection', (s) => r(s.remotePort!)));
    const client = connect(port, '127.0.0.1');
    const peerPort = await accepted;
    expect(peerUid(peerPort, port)).toBe(process.getuid!());
    expect(peerUid(peerPort, port + 1 > 65535 ? 1 : port + 1)).toBeNull();
    client.destroy();
    server.close();
  });

  it('reads the table as the kernel prints it', () => {
    const table = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1
   1: 0100007F:D431 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1001        0 2 1
`;
    expect(peerUid(0xd431, 0x1f90, (f) => (f.endsWith('tcp') ? table : ''))).toBe(1001);
    expect(peerUid(0xd432, 0x1f90, (f) => (f.endsWith('tcp') ? table : ''))).toBeNull();
  });
});
