import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM_DIRS, systemBin } from './system-bin.js';

describe('systemBin', () => {
  const made: string[] = [];
  afterEach(() => made.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('finds mount and umount in the system directories, never through PATH', () => {
    for (const name of ['mount', 'umount']) {
      const path = systemBin(name);
      expect(SYSTEM_DIRS.some((d) => path === `${d}/${name}`)).toBe(true);
    }
  });

  it('takes the first directory that holds an executable of that name, and the bare name where none does', () => {
    const root = mkdtempSync(join(tmpdir(), 'vm-bin-'));
    made.push(root);
    const [first, second] = [join(root, 'a'), join(root, 'b')];
    mkdirSync(first);
    mkdirSync(second);
    writeFileSync(join(first, 'tool'), 'not executable');
    writeFileSync(join(second, 'tool'), '#!/bin/sh\n');
    chmodSync(join(second, 'tool'), 0o755);
    expect(systemBin('tool', [first, second])).toBe(join(second, 'tool'));
    expect(systemBin('no-such-tool', [first, second])).toBe('no-such-tool');
  });
});
