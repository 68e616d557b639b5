// What a verb loads before it answers: the built-ins each verb needs and none it does not.
// Not a timing test: which of Node's own modules were loaded is the same on a busy machine as
// on an idle one, and each of these is milliseconds of a start-up that the benchmark compares
// with `node -e 0`. Standard streams are pipes here, as they are under a script.

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cli } from '../helpers/cli.js';
import { needsRoot } from '../helpers/env.js';
import { tempDir } from '../helpers/fixtures.js';

const shellWords = (words: string[]) => words.map((w) => `'${w.replaceAll("'", "'\\''")}'`).join(' ');

describe('what a verb loads', () => {
  let t: ReturnType<typeof tempDir>;
  const state = () => join(t.dir, 'state');
  beforeAll(() => {
    t = tempDir('vm-cli-startup-');
    // Written at exit, after the verb and its output: everything the process loaded.
    writeFileSync(join(t.dir, 'loaded.cjs'), "process.on('exit', () => require('node:fs').writeFileSync(process.env.VM_TEST_LOADED, process.moduleLoadList.join('\\n')));\n");
  });
  afterAll(() => t?.cleanup());

  /** Runs the verb and returns the public built-ins it loaded (node:tty as 'tty'). */
  const loadedBy = (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const out = join(t.dir, 'loaded.txt');
    const r = cli(state(), args, { env: { NODE_OPTIONS: `--require ${join(t.dir, 'loaded.cjs')}`, VM_TEST_LOADED: out, ...env } });
    const loaded = readFileSync(out, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('NativeModule ') && !l.includes('internal/'))
      .map((l) => l.slice('NativeModule '.length));
    return { r, loaded };
  };

  it('lists and inspects with neither sockets, streams, a terminal check nor crypto', () => {
    expect(cli(state(), ['volume', 'create', '--label', 'a=b', 'quiet']).code).toBe(0);
    for (const args of [['volume', 'ls'], ['volume', 'inspect', 'quiet'], ['volume', 'ls', '--format', '{{.Name}} {{json .Labels}}']]) {
      const { r, loaded } = loadedBy(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('quiet');
      for (const m of ['net', 'stream', 'tty', 'readline', 'crypto', 'child_process']) expect({ args, loaded: loaded.includes(m) }).toEqual({ args, loaded: false });
    }
  });

  it('asks whether standard error is a terminal only when it has an error to explain', () => {
    const { r, loaded } = loadedBy(['volume', 'inspect', 'missing'], { VOLUME_MANAGER_EXPLAIN: '' });
    expect(r.code).toBe(125);
    // A pipe is no terminal: podman's one line only.
    expect(r.stderr).toBe('Error: inspecting object: no such volume missing\n');
    expect(loaded).toContain('tty');
  });

  it('still explains an error where standard error is a terminal (script(1) gives it one)', () => {
    const r = spawnSync('script', ['-qec', `${shellWords([process.execPath, CLI, '--state-dir', state(), 'volume', 'inspect', 'missing'])}`, '/dev/null'], {
      encoding: 'utf8',
      env: { ...process.env, VOLUME_MANAGER_EXPLAIN: '' },
    });
    expect(r.stdout).toContain('Error: inspecting object: no such volume missing');
    expect(r.stdout).toMatch(/To fix it:/);
  });

  needsRoot()('as root', () => {
    it('mounts a tmpfs as root without building the standard streams or asking for a terminal', () => {
      expect(cli(state(), ['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'size=1m', 'fast']).code).toBe(0);
      try {
        const { r, loaded } = loadedBy(['volume', 'mount', 'fast']);
        expect(r.code).toBe(0);
        expect(r.stdout).toBe(`${join(state(), 'volumes', 'fast', '_data')}\n`);
        expect(loaded).toContain('child_process');
        expect(loaded).not.toContain('tty');
        expect(loaded).not.toContain('readline');
      } finally {
        expect(cli(state(), ['volume', 'unmount', 'fast']).code).toBe(0);
      }
    });
  });
});
