// The shell root runs lives in .sh files: shellcheck passes each, and every script the
// TypeScript side assembles from them parses under bash -n. Their refusals run under real
// bash in elevated-runner.test.ts and archive's integration tests.

import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeIf, hasCommand } from '../../test/helpers/env.js';
import { archiveScript } from '../transfer/archive-script.js';
import { buildScript } from './elevated-runner.js';
import { prelude } from './root-script.js';

// The mount side's shell is here; the transfer wing's beside its scripts.
const DIRS = [import.meta.dirname, join(import.meta.dirname, '../transfer')];
const shellFiles = DIRS.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.sh')).map((f) => join(dir, f)));

describeIf(hasCommand('shellcheck'), 'shellcheck (Debian package shellcheck, test/setup/provision.sh)')('the root side\'s shell', () => {
  it('is in .sh files that shellcheck passes at warning level', () => {
    expect(shellFiles.map((f) => f.split('/').slice(-2).join('/')).sort()).toEqual(['system/root-prelude.sh', 'transfer/archive.sh']);
    const r = spawnSync('shellcheck', ['-S', 'warning', '-s', 'bash', ...shellFiles], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('assembles scripts that bash parses, for every kind of job', () => {
    const target = '/run/volume-manager/1000/0123456789abcdef/v';
    const scripts = [
      prelude(false),
      prelude(true),
      buildScript([[{ op: 'mount', via: 'image', type: 'ext4', options: ['ro'], source: '/img', target }], [{ op: 'umount', target, lazy: true }]]),
      archiveScript({ op: 'export', mountpoint: target, io: '/tmp/out.tar', stale: '' }, 'self'),
      archiveScript({ op: 'import', mountpoint: target, io: '/tmp/fifo', replace: true, id: '0123456789abcdef', stale: 'fedcba9876543210' }, 'elevated'),
    ];
    for (const script of scripts) {
      const r = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
  });

  it('quotes nothing it cannot: a value with a quote is refused before any script is made', () => {
    expect(() => archiveScript({ op: 'export', mountpoint: "/run/x'y", io: '/tmp/o', stale: '' }, 'self')).toThrow(/refusing/);
  });
});
