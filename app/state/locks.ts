// Cross-process locks (the app, the command line and a second window share one store).
// proper-lockfile is loaded on first use so that read-only commands never pay for it.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { stateLocked } from '../errors/catalogue.js';

export type Release = () => Promise<void>;

export interface LockOptions {
  /** How long to wait for another holder; a password prompt can keep a volume locked. */
  waitMs: number;
}

let lockfileModule: typeof import('proper-lockfile') | undefined;
async function lockfile(): Promise<typeof import('proper-lockfile')> {
  lockfileModule ??= (await import('proper-lockfile')).default;
  return lockfileModule;
}

/**
 * Takes the lock named `name` in `locksDir`, waiting up to `waitMs`. A holder that died is
 * detected by the lock's mtime, which proper-lockfile refreshes while the holder lives.
 */
export async function acquire(locksDir: string, name: string, { waitMs }: LockOptions): Promise<Release> {
  mkdirSync(locksDir, { recursive: true });
  const lf = await lockfile();
  const path = join(locksDir, name);
  const minTimeout = 2;
  const maxTimeout = 50;
  try {
    return await lf.lock(path, {
      realpath: false,
      lockfilePath: `${path}.lock`,
      stale: 10_000,
      update: 2_000,
      retries: { retries: Math.ceil(waitMs / ((minTimeout + maxTimeout) / 2)), factor: 1.2, minTimeout, maxTimeout, randomize: true },
      // A compromised lock (mtime refresh failed) means another process may have taken
      // it over; the operation in flight still finishes, because aborting a half-done
      // mount is worse than a counter that the next reconcile corrects.
      onCompromised: (err) => process.emitWarning(`volume-manager: lock ${name} compromised: ${err.message}`),
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw stateLocked(name === 'store' ? 'The state store' : `Volume ${name.replace(/^volume-/, '')}`, (err as Error).message);
    }
    throw err;
  }
}

/** Takes the lock only if it is free right now; null when someone holds it. */
export async function tryAcquire(locksDir: string, name: string): Promise<Release | null> {
  try {
    return await acquire(locksDir, name, { waitMs: 0 });
  } catch (err) {
    if ((err as { code?: string }).code === 'STATE_LOCKED') return null;
    throw err;
  }
}
