// The pure parts of the plugin client: addresses and content types.

import { describe, expect, it } from 'vitest';
import { formatAddress, parseAddress } from './address.js';
import { isPluginContentType } from './protocol.js';

describe('plugin addresses', () => {
  it('parses unix, bare paths, tcp and https, and prints them back', () => {
    expect(parseAddress('unix:///run/docker/plugins/x.sock')).toEqual({ kind: 'unix', path: '/run/docker/plugins/x.sock' });
    expect(parseAddress(' /run/x.sock\n')).toEqual({ kind: 'unix', path: '/run/x.sock' });
    expect(parseAddress('tcp://127.0.0.1:8080')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 8080 });
    expect(parseAddress('tcp://[::1]:9000')).toEqual({ kind: 'tcp', host: '::1', port: 9000 });
    expect(parseAddress('tcp://h:1', { caFile: '/ca.pem' })).toEqual({ kind: 'tcp', host: 'h', port: 1, tls: { caFile: '/ca.pem' } });
    expect(formatAddress(parseAddress('tcp://[::1]:9000'))).toBe('tcp://[::1]:9000');
    expect(formatAddress(parseAddress('https://h:443'))).toBe('https://h:443');
  });

  it('rejects what is not an address', () => {
    expect(() => parseAddress('ftp://x/y')).toThrow(/unsupported scheme/);
    expect(() => parseAddress('plugin.sock')).toThrow(/not a plugin address/);
    expect(() => parseAddress('tcp://host:99999')).toThrow();
  });
});

describe('plugin content types', () => {
  it('accepts every v1.x plugin type and JSON, and nothing else', () => {
    for (const t of ['application/vnd.docker.plugins.v1+json', 'application/vnd.docker.plugins.v1.2+json', 'application/json; charset=utf-8', undefined, '']) {
      expect(isPluginContentType(t)).toBe(true);
    }
    for (const t of ['text/html', 'text/plain; charset=utf-8', 'application/vnd.docker.plugins.v2+json', 'application/jsonp']) expect(isPluginContentType(t)).toBe(false);
  });
});
