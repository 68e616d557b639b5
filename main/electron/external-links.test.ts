import { describe, expect, it } from 'vitest';
import { isAllowedExternal } from './external-links.js';

describe('links the window opens outside', () => {
  it('are https documentation on the listed hosts only', () => {
    expect(isAllowedExternal('https://docs.podman.io/en/latest/markdown/podman-volume-create.1.html')).toBe(true);
    for (const url of [
      'http://docs.podman.io/',
      'https://docs.podman.io.evil.example/',
      'https://evil.example/?docs.podman.io',
      'https://user:pw@github.com/',
      'https://github.com:8443/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://server/share',
      'not a url',
    ]) expect(isAllowedExternal(url), url).toBe(false);
  });
});
