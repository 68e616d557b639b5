import { afterEach, describe, expect, it } from 'vitest';
import { assertNfsServer, nfsExports } from './nfs-probe.js';

describe('nfsExports', () => {
  const path = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path;
  });

  it('says showmount is missing (install nfs-common), not that the server does not answer', async () => {
    process.env.PATH = '/nonexistent';
    await expect(nfsExports('127.0.0.1')).rejects.toMatchObject({ code: 'NFS_HELPER_MISSING', happened: expect.stringMatching(/^showmount is not installed/) });
  });

  it('refuses a server that is not a host name or an address before running anything', async () => {
    for (const s of ['-a', 'host;reboot', '$(id)', '']) expect(() => assertNfsServer(s)).toThrow(/invalid NFS server/);
    await expect(nfsExports('a b')).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});
