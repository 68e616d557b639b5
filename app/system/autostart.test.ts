import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/fixtures.js';
import { hasCommand } from '../../test/helpers/env.js';
import { assertAutostartable, autostartFile, desktopEntry, execArg, syncAutostart } from './autostart.js';

describe('the autostart entry', () => {
  const t = tempDir('vm-autostart-');
  afterAll(() => t.cleanup());

  it('quotes Exec arguments as the Desktop Entry Specification asks', () => {
    expect(execArg('/usr/bin/node')).toBe('/usr/bin/node');
    expect(execArg('/home/me/My Volumes')).toBe('"/home/me/My Volumes"');
    expect(execArg('a"b$c`d\\e')).toBe('"a\\\\"b\\\\$c\\\\`d\\\\\\\\e"');
    expect(execArg('100%')).toBe('"100%%"');
  });

  it('exists exactly while it is wanted', () => {
    const target = { exec: ['/usr/bin/node', '/opt/vm/dist/cli.cjs', '--state-dir', '/home/me/state', 'volume', 'restore', '--notify'], dir: join(t.dir, 'autostart') };
    const file = autostartFile(target.dir, '0123456789abcdef');
    syncAutostart(target, '0123456789abcdef', true);
    expect(readFileSync(file, 'utf8')).toBe(desktopEntry(target.exec));
    expect(readFileSync(file, 'utf8')).toContain('Exec=/usr/bin/node /opt/vm/dist/cli.cjs --state-dir /home/me/state volume restore --notify\n');
    syncAutostart(target, '0123456789abcdef', false);
    expect(existsSync(file)).toBe(false);
  });

  it.runIf(hasCommand('desktop-file-validate'))('validates with desktop-file-validate', () => {
    const target = { exec: ['/usr/bin/node', '/opt/my vm/cli.cjs', 'volume', 'restore'], dir: join(t.dir, 'validate') };
    syncAutostart(target, 'fedcba9876543210', true);
    const r = spawnSync('desktop-file-validate', [autostartFile(target.dir, 'fedcba9876543210')], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('refuses a control character in any argument, so the entry stays one command', () => {
    for (const c of ['\n', '\r', '\t', '\u0000', '\u001b', '\u007f']) {
      const exec = ['/usr/bin/node', '/opt/vm/cli.cjs', '--state-dir', `/home/me/state${c}Exec=/bin/sh -c evil`, 'volume', 'restore'];
      expect(() => assertAutostartable(exec), JSON.stringify(c)).toThrow(/control character/);
      expect(() => desktopEntry(exec)).toThrow(/control character/);
    }
  });

  it.runIf(hasCommand('desktop-file-validate'))('writes entries desktop-file-validate passes, whatever printable characters the paths hold', () => {
    const odd = ['/home/me/My Volumes', 'a"b$c`d\\e', '100% sure', "it's", 'semi;colon', 'ünïcødé/päth', '#hash', 'back\\slash', 'tab\\t', '=equals', '[brackets]'];
    odd.forEach((arg, i) => {
      const dir = join(t.dir, `odd-${i}`);
      const id = i.toString(16).padStart(16, '0');
      syncAutostart({ exec: ['/usr/bin/node', arg, 'volume', 'restore'], dir }, id, true);
      const r = spawnSync('desktop-file-validate', [autostartFile(dir, id)], { encoding: 'utf8' });
      expect(r.stdout + r.stderr, arg).toBe('');
      expect(readFileSync(autostartFile(dir, id), 'utf8').match(/^Exec=/gm), arg).toHaveLength(1);
    });
  });
});
