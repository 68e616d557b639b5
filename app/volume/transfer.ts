// `volume export` and `volume import`, podman's verbs, for every kind of volume. The volume is
// mounted for the transfer through the counter and unmounted after it, so a mounted volume
// stays mounted and an unmounted one ends unmounted. The archive streams through a FIFO
// between this process and GNU tar (archive-script.ts decides what is refused and how an
// import is put in place); memory stays flat whatever the size, and a cancel closes the FIFO,
// which leaves an import's volume as it was.

import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertVolumeName } from '../api/names.js';
import type { ExportOutcome, ImportOutcome, TransferProgress } from '../api/types.js';
import { archiveTruncated, archiveUnreadable, tmpfsNotMounted, transferCancelled, volumeBusy, volumeFull } from '../errors/archive-errors.js';
import { archiveGuard } from '../system/archive-guard.js';
import { GuidedError } from '../errors/guided-error.js';
import { tryAcquire } from '../state/locks.js';
import { archiveModeFor } from '../system/archive-mode.js';
import { estimateArchiveSize } from '../system/archive-size.js';
import { readArchiveOutput, type ArchiveOutput } from '../system/archive-output.js';
import { makePipe, pipeReader, pipeWriter } from '../system/archive-pipe.js';
import { feedFile, type FileFeed } from '../system/file-feed.js';
import { archiveScript, MARK, type ArchiveJob, type ArchiveMode } from '../system/archive-script.js';
import { runBash } from '../system/direct-runner.js';
import { holdTransfer } from '../system/fault-points.js';
import type { VolumeEngine } from './engine.js';

export interface TransferHooks {
  signal?: AbortSignal;
  /** Called at most every `progressMs` (and once at the end) while bytes flow. */
  onProgress?: (p: TransferProgress) => void;
  progressMs?: number;
}

export interface ImportOptions extends TransferHooks {
  /** The archive's size where known, for the free-space check and the progress total. */
  size?: number;
  replace?: boolean;
  /** The archive as the person named it, for the commands the errors suggest. */
  file?: string;
}

export interface ExportOptions extends TransferHooks {
  /** The volume's size where the caller knows it, as the progress total. */
  total?: number;
  file?: string;
}

/** Reports progress at most every `progressMs` and at the end; false holds the bytes (fault-points.ts). */
function progressOf(total: number | undefined, hooks: TransferHooks): (bytes: number) => boolean {
  let last = 0;
  const every = hooks.progressMs ?? 200;
  return (bytes) => {
    const now = Date.now();
    const hold = holdTransfer(bytes);
    if (hooks.onProgress && (now - last >= every || hold)) {
      last = now;
      hooks.onProgress({ Bytes: bytes, ...(total !== undefined ? { Total: total } : {}) });
    }
    return !hold;
  };
}

/** Counts the bytes that pass, for progress; holds them where a test says so. */
function counter(total: number | undefined, hooks: TransferHooks): Transform & { bytes: number } {
  const report = progressOf(total, hooks);
  const t = new Transform({
    transform(chunk: Buffer, _enc, done) {
      t.bytes += chunk.length;
      if (report(t.bytes)) done(null, chunk);
    },
    flush(done) {
      hooks.onProgress?.({ Bytes: t.bytes, ...(total !== undefined ? { Total: total } : {}) });
      done();
    },
  }) as Transform & { bytes: number };
  t.bytes = 0;
  return t;
}

/**
 * Holds the volume for one transfer: one at a time per volume, and a volume that needs
 * mounting mounted (through the counter) while `fn` runs. The engine's volume lock is not held throughout, so mounts and unmounts by
 * others go on; the counter keeps the volume mounted for this transfer meanwhile. A transfer
 * killed while it held its count leaves a marker beside its lock, and the next transfer of
 * the volume (which can only take the lock once that owner is dead) gives the count back.
 */
async function withVolume<T>(engine: VolumeEngine, name: string, fn: (mountpoint: string) => Promise<T>): Promise<T> {
  assertVolumeName(name);
  const release = await tryAcquire(engine.layout.locksDir, `transfer-${name}`);
  if (!release) throw volumeBusy(name);
  const held = join(engine.layout.locksDir, `transfer-${name}.held`);
  try {
    if (existsSync(held)) {
      await engine.unmount([name]);
      rmSync(held, { force: true });
    }
    // A volume that is a plain directory is always there: nothing to mount, nothing to count.
    const [view] = await engine.inspect([name]);
    if (!view!.NeedsMount) return await fn(view!.Mountpoint);
    const [mounted] = await engine.mount([name]);
    if (!mounted!.ok) throw new GuidedError(mounted!.error!);
    try {
      writeFileSync(held, '');
    } catch {
      /* a full disk costs only the repair after a crash */
    }
    try {
      return await fn(mounted!.value!.Mountpoint);
    } finally {
      const [r] = await engine.unmount([name]).catch(() => [undefined]);
      if (r?.ok) rmSync(held, { force: true });
    }
  } finally {
    await release();
  }
}

/** Runs the script for `job` in `mode`, and reads its output. */
async function runJob(engine: VolumeEngine, job: ArchiveJob, mode: ArchiveMode, ctx: { name: string; file: string }, signal?: AbortSignal): Promise<ArchiveOutput> {
  const script = archiveScript(job, mode);
  const raw = mode === 'elevated' ? await engine.runner.runScript(script, MARK.started) : await runBash(script, signal);
  return readArchiveOutput({ op: job.op, name: ctx.name, mountpoint: job.mountpoint, file: ctx.file }, raw);
}

/** Settles `p` and returns its error, or null: for copies whose failure may be expected. */
const settled = (p: Promise<unknown>) => p.then(
  () => null,
  (e: unknown) => e,
);

/**
 * Writes the volume `name` as a tar archive to `sink`; or, given `directPath` (an empty file
 * of this user's) and no need of root, has GNU tar write that file itself, as fast as tar
 * alone (then `sink` is not used, and progress is the file's size).
 */
export async function exportVolume(engine: VolumeEngine, name: string, sink: Writable, opts: ExportOptions & { directPath?: string } = {}): Promise<ExportOutcome> {
  return withVolume(engine, name, async (mountpoint) => {
    const mode = await archiveModeFor(mountpoint, 'export');
    const total = opts.total ?? (opts.onProgress ? await estimateArchiveSize(mountpoint) : undefined);
    const ctx = { name, file: opts.file ?? 'ARCHIVE.tar' };
    if (opts.directPath && mode === 'self') return exportDirect(engine, mountpoint, opts.directPath, total, ctx, opts);
    const pipe = await makePipe();
    let stop: (() => void) | undefined;
    try {
      const reader = pipeReader(pipe.path);
      const count = counter(total, opts);
      const onAbort = () => {
        reader.stream.destroy();
        reader.release();
        stop ??= pipe.unblock('reader');
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const copy = settled(pipeline(reader.stream, count, sink));
      let out;
      try {
        out = await runJob(engine, { op: 'export', mountpoint, io: pipe.path }, mode, ctx);
      } finally {
        reader.release();
        opts.signal?.removeEventListener('abort', onAbort);
      }
      const copyError = await copy;
      if (opts.signal?.aborted) throw transferCancelled(name, 'export', opts.file ? `${opts.file} was not written` : 'the archive is incomplete');
      if (!out.ok) throw out.error;
      if (copyError) throw copyError;
      return { Bytes: count.bytes };
    } finally {
      stop?.();
      pipe.dispose();
    }
  });
}

/** tar writes `path` itself; a cancel ends it (it runs as this user), progress is the file's size. */
async function exportDirect(engine: VolumeEngine, mountpoint: string, path: string, total: number | undefined, ctx: { name: string; file: string }, opts: ExportOptions): Promise<ExportOutcome> {
  const report = async () => {
    const size = (await stat(path).catch(() => null))?.size;
    if (size !== undefined) opts.onProgress?.({ Bytes: size, ...(total !== undefined ? { Total: total } : {}) });
    return size ?? 0;
  };
  const timer = opts.onProgress ? setInterval(() => void report(), opts.progressMs ?? 200) : undefined;
  try {
    const out = await runJob(engine, { op: 'export', mountpoint, io: path }, 'self', ctx, opts.signal);
    if (opts.signal?.aborted) throw transferCancelled(ctx.name, 'export', `${ctx.file} was not written`);
    if (!out.ok) throw out.error;
  } finally {
    clearInterval(timer);
  }
  return { Bytes: await report() };
}

/**
 * Fills the volume `name` from the tar archive `source`. A volume that holds anything is
 * refused (VOLUME_NOT_EMPTY) unless `replace`; then its old entries give way only once the
 * whole archive was read and checked. `source` may be left unread or destroyed; closing it
 * is the caller's.
 */
export async function importVolume(engine: VolumeEngine, name: string, source: Readable | ArchiveFile, opts: ImportOptions = {}): Promise<ImportOutcome> {
  assertVolumeName(name);
  const [view] = await engine.inspect([name]);
  if (view!.Kind === 'tmpfs' && !view!.Mounted) throw tmpfsNotMounted(name);
  return withVolume(engine, name, async (mountpoint) => {
    if (opts.size !== undefined) {
      const fs = await statfs(mountpoint);
      const free = fs.bavail * fs.bsize;
      if (opts.size > free) throw volumeFull(name, mountpoint, opts.size, free);
    }
    const pipe = await makePipe();
    let stop: (() => void) | undefined;
    const unblock = () => (stop ??= pipe.unblock('reader'));
    const feeder: Feeder = source instanceof Readable ? streamFeeder(name, source, opts) : fileFeeder(source, opts);
    const onAbort = () => {
      unblock();
      feeder.stop();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const mode = await archiveModeFor(mountpoint, 'import');
      const job = runJob(engine, { op: 'import', mountpoint, io: pipe.path, replace: opts.replace ?? false }, mode, { name, file: opts.file ?? 'ARCHIVE.tar' });
      // Whatever the script did not read by its end, it never will.
      const ended = settled(job).then(() => {
        unblock();
        feeder.stop();
      });
      await feeder.start(pipe.path);
      if (opts.signal?.aborted) feeder.stop();
      const result = await job;
      await ended;
      const fed = await feeder.done();
      if (result.ok) {
        opts.onProgress?.({ Bytes: fed.bytes, ...(opts.size !== undefined ? { Total: opts.size } : {}) });
        return { Entries: result.entries, Bytes: fed.bytes, Replaced: opts.replace ?? false };
      }
      if (opts.signal?.aborted) throw transferCancelled(name, 'import', `${name} is as it was`);
      if (fed.problem) throw fed.problem;
      throw result.error;
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
      stop?.();
      pipe.dispose();
    }
  });
}

/** An archive file this process opened, already checked (archive-files.ts), fed by cat. */
export interface ArchiveFile {
  fd: number;
  size: number;
}

/** What puts the archive into the FIFO, and what it found wrong with it on the way. */
interface Feeder {
  start(fifo: string): Promise<void>;
  stop(): void;
  done(): Promise<{ bytes: number; problem: Error | null }>;
}

function streamFeeder(name: string, source: Readable, opts: ImportOptions): Feeder {
  const guard = archiveGuard(progressOf(opts.size, opts));
  let writer: Socket | undefined;
  let stopped = false;
  let copy: Promise<unknown> = Promise.resolve(null);
  const file = opts.file ?? 'ARCHIVE.tar';
  return {
    async start(fifo) {
      writer = await pipeWriter(fifo);
      // Stopped while the FIFO opened (the script refused at once): nothing is to be copied.
      if (stopped) writer.destroy();
      else copy = settled(pipeline(source, guard, writer));
    },
    stop() {
      stopped = true;
      writer?.destroy();
      source.destroy();
    },
    async done() {
      const error = await copy;
      const quiet = !error || /ERR_STREAM_PREMATURE_CLOSE|EPIPE|ERR_STREAM_DESTROYED/.test(String((error as NodeJS.ErrnoException).code));
      const problem = guard.compressed
        ? archiveUnreadable(name, `the archive is compressed (${guard.compressed}); Archive is compressed`, file)
        : guard.truncated
          ? archiveTruncated(name, `the archive ends after ${guard.bytes} bytes without the end marker of a tar archive`)
          : quiet
            ? null
            : (error as Error);
      return { bytes: guard.bytes, problem };
    },
  };
}

function fileFeeder(source: ArchiveFile, opts: ImportOptions): Feeder {
  let feed: FileFeed | undefined;
  let stopped = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  return {
    async start(fifo) {
      feed = await feedFile(source.fd, fifo);
      if (stopped) feed.stop();
      const report = progressOf(opts.size, opts);
      if (opts.onProgress) timer = setInterval(() => report(feed!.position()), opts.progressMs ?? 200);
    },
    stop() {
      stopped = true;
      feed?.stop();
    },
    async done() {
      await feed?.done;
      clearInterval(timer);
      return { bytes: feed?.position() ?? 0, problem: null };
    },
  };
}
