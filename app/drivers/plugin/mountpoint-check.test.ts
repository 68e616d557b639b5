import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/fixtures.js';
import { pluginMountpointProblem } from './mountpoint-check.js';

describe('a plugin\'s Mountpoint', () => {
  const t = tempDir('vm-plugin-mp-');
  afterAll(() => t.cleanup());

  it('is taken when it is an existing directory of its own', () => {
    const dir = join(t.dir, 'vol');
    mkdirSync(dir);
    expect(pluginMountpointProblem(dir)).toBeNull();
  });

  it.each([
    ['/', 'a system directory'],
    ['/etc', 'a system directory'],
    ['/etc/cron.d', 'inside a system directory'],
    ['/usr/lib', 'inside a system directory'],
    ['/var/lib', 'a system directory'],
    ['/root', 'a system directory'],
    ['relative/path', 'not an absolute path'],
    ['/no/such/dir', 'not an existing directory'],
    ['/etc/passwd', 'not a directory'],
  ])('refuses %s: %s', (path, why) => expect(pluginMountpointProblem(path)).toBe(why));

  it('refuses a symlink that leads into the system, and a file', () => {
    const link = join(t.dir, 'to-etc');
    symlinkSync('/etc', link);
    expect(pluginMountpointProblem(link)).toBe('a system directory (/etc)');
    const file = join(t.dir, 'file');
    writeFileSync(file, '');
    expect(pluginMountpointProblem(file)).toBe('not a directory');
  });
});
