// The FIFO an archive travels through between this process and the script that runs tar
// (as this user, or as root through polkit, where no other channel streams: sudo-prompt only
// hands back the script's output at its end). It lives in a private directory (0700) of this
// process's user, so the root side opens it with that user's uid.
//
// The read end is opened without waiting and held open by a spare writer until tar's first
// bytes arrive. The write end waits for the script's reader (a libuv thread waits in open),
// so whoever ends the transfer early must call unblock, or that open never returns: the
// password prompt refused, the script refusing before it reads, a cancel.

import { closeSync, constants, lstatSync, mkdtempSync, open, openSync, readdirSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAFE_TOKEN } from '../system/commands.js';
import { execArgv } from '../system/exec-argv.js';

export interface ArchivePipe {
  path: string;
  /**
   * Unblocks the script's end for as long as it runs, by opening and closing the other end
   * now and then: a tar that was about to open the FIFO when this side let go would otherwise
   * wait forever. Call when cancelling or when the script is over; returns the stopper.
   */
  unblock(side: 'reader' | 'writer'): () => void;
  /** Removes the FIFO and its directory; once both ends are open, the transfer goes on without them. */
  dispose(): void;
}

const PREFIX = 'volume-manager-io-';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * A directory for the FIFO whose path the root script accepts as one safe token, named for
 * this process. Those of processes that died before their FIFO was opened (a kill -9) go first;
 * a FIFO that was opened is gone by then (see dispose).
 */
function privateDir(): string {
  const base = SAFE_TOKEN.test(tmpdir()) && tmpdir().startsWith('/') ? tmpdir() : '/tmp';
  try {
    for (const entry of readdirSync(base)) {
      const pid = new RegExp(`^${PREFIX}(\\d+)-`).exec(entry)?.[1];
      if (!pid || Number(pid) === process.pid || alive(Number(pid))) continue;
      const st = lstatSync(join(base, entry));
      if (st.isDirectory() && st.uid === process.getuid?.()) rmSync(join(base, entry), { recursive: true, force: true });
    }
  } catch {
    /* another user's directory, or none: not ours to sweep */
  }
  return mkdtempSync(join(base, `${PREFIX}${process.pid}-`));
}

export async function makePipe(): Promise<ArchivePipe> {
  const dir = privateDir();
  const path = join(dir, 'archive');
  const r = await execArgv('mkfifo', ['-m', '600', '--', path]);
  if (r.code !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`mkfifo ${path}: ${r.output}`);
  }
  return {
    path,
    unblock(side) {
      const flags = (side === 'reader' ? constants.O_RDONLY : constants.O_WRONLY) | constants.O_NONBLOCK;
      const poke = () => {
        try {
          closeSync(openSync(path, flags));
        } catch {
          /* ENXIO: no reader is waiting yet */
        }
      };
      poke();
      const timer = setInterval(poke, 100);
      return () => clearInterval(timer);
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * The FIFO's write end, once the script's reader has opened it: data written before would
 * be lost if this end closed first. Resolves also when `unblock('reader')` runs (the script
 * ended without reading); writes then fail with EPIPE.
 */
export async function pipeWriter(path: string): Promise<Socket> {
  return new Socket({ fd: await openWriteEnd(path), readable: false, writable: true });
}

/** The FIFO's write end as a bare descriptor, once the reader is there (see pipeWriter). */
export const openWriteEnd = (path: string) => new Promise<number>((resolve, reject) => open(path, constants.O_WRONLY, (err, fd) => (err ? reject(err) : resolve(fd))));

/** The FIFO's read end, and `release` for when the script is over without having written. */
export function pipeReader(path: string): { stream: Socket; release: () => void } {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  let spare: number | null = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
  const release = () => {
    if (spare !== null) closeSync(spare);
    spare = null;
  };
  const stream = new Socket({ fd, readable: true, writable: false });
  stream.once('data', release);
  stream.once('close', release);
  return { stream, release };
}
