import { describe, expect, it } from 'vitest';
import { machineName, parseSshUrl } from './ssh-url.js';

describe('ssh:// URLs of other machines', () => {
  it('reads user, host and port as podman writes them', () => {
    expect(parseSshUrl('ssh://vmtest@127.0.0.1:2222')).toEqual({ user: 'vmtest', host: '127.0.0.1', port: 2222, url: 'ssh://vmtest@127.0.0.1:2222' });
    expect(parseSshUrl('ssh://build.example.com/')).toMatchObject({ host: 'build.example.com', port: 22 });
    expect(parseSshUrl('ssh://me@[::1]:22')).toMatchObject({ host: '[::1]', port: 22 });
    expect(machineName(parseSshUrl('ssh://me@box:2200'))).toBe('me@box:2200');
  });
  it('refuses what ssh would read as an option, and what is not a URL', () => {
    for (const bad of ['ssh://-oProxyCommand=x@h', 'ssh://u@-oProxyCommand=id', 'ssh://u@h:99999', 'http://h', 'ssh://u@h x', 'ssh://u@h\n', 'ssh://', 'ssh://a@b@c']) {
      expect(() => parseSshUrl(bad)).toThrow(/--url/);
    }
  });
});
