import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultStateDir } from '../../app/state/layout.js';
import { commandLine, onPath } from './command-line.js';

describe('the command line as it runs on this machine', () => {
  it('finds an executable on PATH, and not a file that is not one or a relative directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vm-path-'));
    try {
      writeFileSync(join(dir, 'volume-manager'), '#!/bin/sh\n');
      expect(onPath('volume-manager', dir)).toBe(false);
      chmodSync(join(dir, 'volume-manager'), 0o755);
      expect(onPath('volume-manager', `relative:${dir}`)).toBe(true);
      expect(onPath('volume-manager', 'relative')).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses the installed command where there is one, the bundle otherwise, and names a store that is not the default', () => {
    expect(commandLine(['/usr/bin/node', '/opt/vm/dist/cli.cjs'], defaultStateDir(), true, false)).toEqual({ Command: 'volume-manager', StateDir: '', Root: false });
    expect(commandLine(['/usr/bin/node', '/opt/vm/dist/cli.cjs'], '/tmp/my state', false, true)).toEqual({ Command: '/usr/bin/node /opt/vm/dist/cli.cjs', StateDir: `--state-dir '/tmp/my state'`, Root: true });
  });
});
