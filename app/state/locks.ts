// Cross-process locks: the app, the command line and a second window share one store.
// A lock is a directory (mkdir is atomic on every local filesystem) holding its owner's
// pid and start time. A lock whose owner is gone (crash, kill -9) is taken over: the pid
// is dead, or alive but reused by a process that started at another time.

import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateLocked } from '../errors/catalogue.js';

export type Release = () => Promise<void>;

export interface LockOptions {
  /** How long to wait for another holder; a password prompt can keep a volume locked. */
  waitMs: number;
}

/** A lock directory without an owner file was left by another tool or a damaged disk. */
const OWNERLESS_GRACE_MS = 2_000;

function startTime(pid: number): string {
  try {
    // Field 22 of /proc/PID/stat, counted after the parenthesised command name.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

const me = `${process.pid} ${startTime(process.pid)}`;

function alive(owner: string): boolean {
  const [pidText, started] = owner.trim().split(' ');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: alive, and another user's (root's app and a user's command share a store).
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = startTime(pid);
  return !now || !started || now === started;
}

const ownerOf = (dir: string): string | null => {
  try {
    return readFileSync(join(dir, 'owner'), 'utf8');
  } catch {
    return null;
  }
};

/** Whether the lock at `dir`, whose owner file read `owner`, belongs to no live process. */
function isStale(dir: string, owner: string | null): boolean {
  if (owner !== null) return !alive(owner);
  try {
    return Date.now() - statSync(dir).mtimeMs > OWNERLESS_GRACE_MS;
  } catch {
    return false;
  }
}

/**
 * Creates the lock with its owner already inside: the directory is built under a temporary
 * name and renamed into place, so no one ever sees a lock without an owner (a reader that
 * caught a half-written owner file would take a live lock for a stale one).
 */
function create(dir: string): boolean {
  const tmp = mkdtempSync(`${dir}.new-`);
  writeFileSync(join(tmp, 'owner'), me);
  try {
    renameSync(tmp, dir);
    return true;
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
    throw err;
  }
}

/** Takes the lock once if it is free or stale; false when a live process holds it. */
function tryTake(dir: string): boolean {
  if (create(dir)) return true;
  const judged = ownerOf(dir);
  if (!isStale(dir, judged)) return false;
  // Move the stale lock aside before deleting it: of two processes that both saw it stale,
  // only one rename succeeds. If what moved is not the lock judged stale (another process
  // replaced it in between), it is a live lock and goes back.
  const aside = `${dir}.stale-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    renameSync(dir, aside);
  } catch {
    return false;
  }
  if (ownerOf(aside) !== judged) {
    try {
      renameSync(aside, dir);
    } catch {
      /* its owner released it meanwhile, or a third process holds the name now */
    }
    return false;
  }
  rmSync(aside, { recursive: true, force: true });
  return create(dir);
}

function releaser(dir: string): Release {
  return async () => {
    if (ownerOf(dir) === me) rmSync(dir, { recursive: true, force: true });
  };
}

function lockDir(locksDir: string, name: string): string {
  mkdirSync(locksDir, { recursive: true });
  return join(locksDir, `${name}.lock`);
}

/** Takes the lock named `name` in `locksDir`, waiting up to `waitMs` with jittered backoff. */
export async function acquire(locksDir: string, name: string, { waitMs }: LockOptions): Promise<Release> {
  const dir = lockDir(locksDir, name);
  const deadline = Date.now() + waitMs;
  for (let attempt = 0; ; attempt++) {
    if (tryTake(dir)) return releaser(dir);
    if (Date.now() >= deadline) {
      const owner = ownerOf(dir);
      const holder = owner === null ? 'unknown' : `pid ${owner.split(' ')[0]}`;
      throw stateLocked(name === 'store' ? 'The state store' : `Volume ${name.replace(/^volume-/, '')}`, `${dir} is held by ${holder}`);
    }
    const delay = Math.min(25, 1 + attempt) * (0.5 + Math.random());
    await new Promise((r) => setTimeout(r, Math.min(delay, Math.max(0, deadline - Date.now()))));
  }
}

/** Takes the lock only if it is free right now; null when someone holds it. */
export async function tryAcquire(locksDir: string, name: string): Promise<Release | null> {
  const dir = lockDir(locksDir, name);
  return tryTake(dir) ? releaser(dir) : null;
}
