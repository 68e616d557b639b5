import { describe, expect, it } from 'vitest';
import { parsePluginOptions, timeoutFor } from './options.js';

describe('plugin options, as podman 4.3 reads them', () => {
  it('takes timeout=N out of o= for the engine, and passes everything else, timeout= included, to the plugin', () => {
    expect(parsePluginOptions({ o: 'timeout=3', timeout: '9', 'weird key': 'a;b $(c)' })).toEqual({ options: { timeout: '9', 'weird key': 'a;b $(c)' }, timeout: 3 });
    expect(parsePluginOptions({ o: 'ro,timeout=30,size=1g' })).toEqual({ options: { o: 'ro,size=1g' }, timeout: 30 });
    expect(parsePluginOptions({ o: 'ro' })).toEqual({ options: { o: 'ro' } });
    expect(parsePluginOptions({})).toEqual({ options: {} });
  });

  it('waits the volume\'s own timeout, else the plugin default', () => {
    expect(timeoutFor(9, 5000)).toBe(9000);
    expect(timeoutFor(undefined, 5000)).toBe(5000);
  });

  it('rejects a bad timeout and oversized options', () => {
    for (const t of ['0', '-1', '1.5', 'soon', '99999', '']) expect(() => parsePluginOptions({ o: `timeout=${t}` })).toThrow(/invalid timeout/);
    expect(() => parsePluginOptions({ k: 'v'.repeat(5000) })).toThrow(/longer than/);
    expect(() => parsePluginOptions(Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, ''])))).toThrow(/too many/);
    expect(() => parsePluginOptions({ '': 'x' })).toThrow(/invalid option name/);
  });
});
