import { describe, expect, it } from 'vitest';
import { errorCode as code } from '../../test/helpers/fixtures.js';
import { parsers } from './parsers.js';

describe('the API contract', () => {
  it('rejects requests of the wrong shape before they reach the engine', () => {
    expect(code(() => parsers['volume.create']({ name: 1 }))).toBe('INVALID_REQUEST');
    expect(code(() => parsers['volume.create']({ name: 'a', options: { size: 5 } }))).toBe('INVALID_REQUEST');
    expect(code(() => parsers['volume.mount']({ names: [] }))).toBe('INVALID_REQUEST');
    expect(code(() => parsers['volume.unmount']({ names: ['a'], force: 'yes' }))).toBe('INVALID_REQUEST');
    expect(code(() => parsers['volume.list']({ filters: { colour: ['x'] } }))).toBe('INVALID_REQUEST');
    expect(code(() => parsers['volume.prune']({ extra: true }))).toBe('INVALID_REQUEST');
    // A Mark is the engine's own hex; anything else (a path, a huge string) is refused.
    for (const since of ['../x', 'a'.repeat(65), 7, '']) expect(code(() => parsers['volume.changes']({ since }))).toBe('INVALID_REQUEST');
    expect(code(() => parsers['volume.changes']({ fresh: 'yes' }))).toBe('INVALID_REQUEST');
  });
  it('passes well-formed requests through unchanged', () => {
    expect(parsers['volume.changes']({ since: 'ab12', fresh: true })).toEqual({ since: 'ab12', fresh: true });
    expect(parsers['volume.changes'](undefined)).toEqual({});
    expect(parsers['volume.list']({ filters: { mounted: true, label: ['a=b'] } })).toEqual({ filters: { mounted: true, label: ['a=b'], name: undefined, driver: undefined, dangling: undefined } });
  });
});
