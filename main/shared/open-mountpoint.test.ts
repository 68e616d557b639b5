// The opener with real programs standing in for a desktop's handler: one that succeeds, one
// that fails as xdg-open does where no file manager is set, and one that is not there.

import { describe, expect, it } from 'vitest';
import { commandOpener } from './open-mountpoint.js';

describe('opening a mountpoint', () => {
  it('resolves when the handler succeeds', async () => {
    await expect(commandOpener('true')('/tmp')).resolves.toBeUndefined();
  });

  it('gives a guided error when the handler fails, with what it said', async () => {
    const sh = commandOpener('/bin/sh');
    // sh reads the path as a script that does not exist, fails, and says so: as xdg-open
    // does where it finds no way to open a folder.
    await expect(sh('/nonexistent-volume-path')).rejects.toMatchObject({ code: 'OPEN_FAILED', happened: expect.stringContaining('nonexistent-volume-path') });
  });

  it('gives a guided error when there is no handler at all', async () => {
    await expect(commandOpener('volume-manager-no-such-opener')('/tmp')).rejects.toMatchObject({ code: 'OPEN_FAILED', happened: expect.stringContaining('ENOENT') });
  });
});
