// Temporary state directories that clean up after themselves: whatever a test mounted
// under its directory is unmounted, and the directory removed.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMountTable } from '../../app/system/mountinfo.js';
import { openLayout } from '../../app/state/layout.js';
import type { StateData } from '../../app/state/schema.js';
import { StateStore } from '../../app/state/state-store.js';

export function mountsUnder(dir: string) {
  return readMountTable().filter((m) => m.mountpoint === dir || m.mountpoint.startsWith(`${dir}/`));
}

export function tempDir(prefix = 'vm-test-'): { dir: string; cleanup: () => void } {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  return {
    dir,
    cleanup() {
      for (const m of mountsUnder(dir).reverse()) spawnSync('umount', ['-l', m.mountpoint]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A temporary directory for the suite, with the state directory inside it; cleaned after. */
export function suiteStateDir(hooks: { beforeAll: (fn: () => void) => void; afterAll: (fn: () => void) => void }) {
  const ctx = { dir: '', state: '' };
  let t: ReturnType<typeof tempDir> | undefined;
  hooks.beforeAll(() => {
    t = tempDir();
    ctx.dir = t.dir;
    ctx.state = join(t.dir, 'state');
  });
  hooks.afterAll(() => t?.cleanup());
  return ctx;
}

/** The code of the guided error `fn` throws, or 'no error': for tables of bad input. */
export function errorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as { code?: string }).code ?? 'not a guided error';
  }
  return 'no error';
}

/** Changes the store of `stateDir` as another process would (the command line, a program of the user's), behind an engine's back. */
export async function writeStore(stateDir: string, change: (data: StateData) => void): Promise<void> {
  await new StateStore(openLayout(stateDir)).update(change);
}
