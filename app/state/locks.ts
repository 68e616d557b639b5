// Cross-process locks: the app, the command line and a second window share one store.
// A lock is a hard link, NAME.lock, to a file holding its owner's pid and start time: link()
// is atomic and fails when the name exists, so a lock is taken in one system call and never
// exists without its owner. A lock whose owner is gone (crash, kill -9) is taken over: the pid
// is dead, or alive but reused by a process that started at another time. A directory lock
// with an owner file inside, left by an earlier version, is judged and taken over alike.

import { linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stateLocked } from '../errors/catalogue.js';
import { stateWriteError } from './write-errors.js';

export type Release = () => Promise<void>;

export interface LockOptions {
  /** How long to wait for another holder; a password prompt can keep a volume locked. */
  waitMs: number;
}

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

const ownerOf = (lock: string): string | null => {
  try {
    return readFileSync(lock, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EISDIR') return null;
    try {
      return readFileSync(join(lock, 'owner'), 'utf8');
    } catch {
      return null;
    }
  }
};

const OWNER_PREFIX = 'owner-';
const ownerFiles = new Map<string, string>();
/** An empty owner file is one being written right now, or one whose writer died mid-write. */
const EMPTY_OWNER_GRACE_MS = 10_000;

/** Removes the owner files of processes that are gone; what cannot be removed stays. */
function sweep(locksDir: string): void {
  for (const f of readdirSync(locksDir)) {
    if (!f.startsWith(OWNER_PREFIX)) continue;
    const path = join(locksDir, f);
    const owner = ownerOf(path);
    try {
      const dead = owner ? !alive(owner) : owner === '' && Date.now() - statSync(path).mtimeMs > EMPTY_OWNER_GRACE_MS;
      if (dead) rmSync(path, { force: true });
    } catch {
      /* a read-only or full state directory still lets the caller go on to its own error */
    }
  }
}

/**
 * This process's owner file in `locksDir`, made once and removed at exit. Owner files of
 * processes that died without exiting are swept when the first one of a process is made. A
 * write that fails (disk full, read-only) leaves no file behind and throws a guided error.
 */
function ownerFile(locksDir: string): string {
  const known = ownerFiles.get(locksDir);
  if (known) return known;
  const file = join(locksDir, `${OWNER_PREFIX}${me.replace(' ', '-')}`);
  try {
    mkdirSync(locksDir, { recursive: true });
    sweep(locksDir);
    writeFileSync(file, me);
  } catch (err) {
    try {
      rmSync(file, { force: true });
    } catch {
      /* nothing was written, or nothing can be removed either */
    }
    throw stateWriteError(err, dirname(locksDir));
  }
  if (ownerFiles.size === 0) process.once('exit', () => ownerFiles.forEach((f) => rmSync(f, { force: true })));
  ownerFiles.set(locksDir, file);
  return file;
}

/** Links this process's owner file to `lock`; false when the name is taken. */
function create(locksDir: string, lock: string): boolean {
  try {
    linkSync(ownerFile(locksDir), lock);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code !== 'ENOENT') throw err;
    // The owner file was swept by someone (a clock or pid mix-up): make it again, once.
    ownerFiles.delete(locksDir);
    linkSync(ownerFile(locksDir), lock);
    return true;
  }
}

/** Takes the lock once if it is free or stale; false when a live process holds it. */
function tryTake(locksDir: string, lock: string): boolean {
  if (create(locksDir, lock)) return true;
  const judged = ownerOf(lock);
  // Unreadable: it was released between the link and the read; the next attempt decides.
  if (judged === null || alive(judged)) return false;
  // Move the stale lock aside before deleting it: of two processes that both saw it stale,
  // only one rename succeeds. If what moved is not the lock judged stale (another process
  // replaced it in between), it is a live lock and goes back, unless its name is taken again.
  const aside = `${lock}.stale-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    renameSync(lock, aside);
  } catch {
    return false;
  }
  if (ownerOf(aside) !== judged) {
    try {
      linkSync(aside, lock);
    } catch {
      /* its name is held by a third process now; the moved lock's owner lost nothing it can use */
    }
    rmSync(aside, { recursive: true, force: true });
    return false;
  }
  rmSync(aside, { recursive: true, force: true });
  return create(locksDir, lock);
}

function releaser(lock: string): Release {
  return async () => {
    if (ownerOf(lock) !== me) return;
    try {
      unlinkSync(lock);
    } catch {
      /* already taken over: a release must never throw */
    }
  };
}

/** Takes the lock named `name` in `locksDir`, waiting up to `waitMs` with jittered backoff. */
export async function acquire(locksDir: string, name: string, { waitMs }: LockOptions): Promise<Release> {
  const lock = join(locksDir, `${name}.lock`);
  const deadline = Date.now() + waitMs;
  for (let attempt = 0; ; attempt++) {
    if (tryTake(locksDir, lock)) return releaser(lock);
    if (Date.now() >= deadline) {
      const owner = ownerOf(lock);
      const holder = owner === null ? 'unknown' : `pid ${owner.split(' ')[0]}`;
      throw stateLocked(name === 'store' ? 'The state store' : 'The volume', `${lock} is held by ${holder}`);
    }
    const delay = Math.min(25, 1 + attempt) * (0.5 + Math.random());
    await new Promise((r) => setTimeout(r, Math.min(delay, Math.max(0, deadline - Date.now()))));
  }
}

/** Takes the lock only if it is free right now; null when someone holds it. */
export async function tryAcquire(locksDir: string, name: string): Promise<Release | null> {
  const lock = join(locksDir, `${name}.lock`);
  return tryTake(locksDir, lock) ? releaser(lock) : null;
}
