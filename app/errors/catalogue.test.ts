import { describe, expect, it } from 'vitest';
import { nfsServerUnreachable, sshUnreachable } from './catalogue.js';

describe('a server that does not answer', () => {
  it('says a refused connection is nothing listening, not a timeout', () => {
    expect(sshUnreachable('box', 2299, 'ssh: connect to host box port 2299: Connection refused').why).toBe('box answered, but nothing listens on port 2299: the SSH server is not running there, or the port is wrong.');
    expect(nfsServerUnreachable('srv', 2049, 'connect ECONNREFUSED 10.0.0.1:2049 (Connection refused)').why).toContain('nothing listens on port 2049: the NFS server is not running there');
  });
  it('says a timeout is a machine out of reach, and an unknown name is a name', () => {
    expect(sshUnreachable('box', 22, 'ssh: connect to host box port 22: Connection timed out').why).toMatch(/^Nothing answered on box port 22 in time/);
    expect(sshUnreachable('nosuch', 22, 'ssh: Could not resolve hostname nosuch: Name or service not known').why).toMatch(/^The name nosuch does not resolve/);
  });
});
