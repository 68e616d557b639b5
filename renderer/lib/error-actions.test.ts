import { describe, expect, it } from 'vitest';
import type { GuidedErrorData } from '../../app/errors/guided-error.js';
import { windowActions } from './error-actions.js';

const err = (code: string) => ({ code, title: 't', happened: 'h', why: 'w', steps: [] }) as unknown as GuidedErrorData;
const retry = () => undefined;

describe("the window's own actions come before the command line", () => {
  it('offers Force unmount for a busy or in-use volume, then Try again', () => {
    expect(windowActions({ error: err('TARGET_BUSY'), volume: 'v', retry })).toEqual(['force-unmount', 'retry']);
    expect(windowActions({ error: err('VOLUME_IN_USE'), volume: 'v', retry })).toEqual(['force-unmount', 'retry']);
  });
  it('offers to trust an unknown SSH host, never a changed one', () => {
    expect(windowActions({ error: err('SSH_HOST_UNKNOWN'), volume: 'v' })).toEqual(['trust-host']);
    expect(windowActions({ error: err('SSH_HOST_CHANGED'), volume: 'v' })).toEqual([]);
  });
  it('refreshes the list rather than retrying an action on a volume that is gone', () => {
    expect(windowActions({ error: err('VOLUME_NOT_FOUND'), volume: 'v', retry })).toEqual(['refresh']);
  });
  it('offers to remove a volume whose plugin is gone, after trying again', () => {
    expect(windowActions({ error: err('PLUGIN_MISSING'), volume: 'v', retry })).toEqual(['retry', 'remove']);
    expect(windowActions({ error: err('PLUGIN_MISSING') })).toEqual([]);
  });
  it('offers no Try again where the same archive can only be refused the same way', () => {
    for (const code of ['ARCHIVE_ENTRY_REFUSED', 'ARCHIVE_UNREADABLE', 'ARCHIVE_TRUNCATED']) expect(windowActions({ error: err(code), volume: 'v', retry })).toEqual([]);
  });
  it('offers nothing it cannot do: no volume, no force unmount', () => {
    expect(windowActions({ error: err('TARGET_BUSY') })).toEqual([]);
  });
});
