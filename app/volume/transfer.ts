// `volume export` and `volume import`, podman's verbs, for every kind of volume. The volume is
// mounted for the transfer through the counter and unmounted after it, so a mounted volume
// stays mounted and an unmounted one ends unmounted. The archive streams through a FIFO
// between this process and GNU tar (archive-script.ts decides what is refused and how an
// import is put in place); memory stays flat whatever the size, and a cancel closes the FIFO,
// which leaves an import's volume as it was.

import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertVolumeName } from '../api/names.js';
import type { ExportOutcome, ImportOutcome, TransferProgress } from '../api/types.js';
import { tmpfsNotMounted, transferCancelled, volumeBusy, volumeFull } from '../errors/archive-errors.js';
import { GuidedError } from '../errors/guided-error.js';
import { tryAcquire } from '../state/locks.js';
import { archiveModeFor } from '../system/archive-mode.js';
import { estimateArchiveSize } from '../system/archive-size.js';
import { readArchiveOutput, type ArchiveOutput } from '../system/archive-output.js';
import { makePipe, pipeReader, pipeWriter, type ArchivePipe } from '../system/archive-pipe.js';
import { archiveScript, MARK, type ArchiveJob } from '../system/archive-script.js';
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

/** Counts the bytes that pass, for progress. */
function counter(total: number | undefined, hooks: TransferHooks): Transform & { bytes: number } {
  let last = 0;
  const every = hooks.progressMs ?? 200;
  const t = new Transform({
    transform(chunk: Buffer, _enc, done) {
      t.bytes += chunk.length;
      const now = Date.now();
      if (hooks.onProgress && (now - last >= every || holdTransfer(t.bytes))) {
        last = now;
        hooks.onProgress({ Bytes: t.bytes, ...(total !== undefined ? { Total: total } : {}) });
      }
      // A test's hold: the bytes wait here until the transfer is cancelled (fault-points.ts).
      if (holdTransfer(t.bytes)) return;
      done(null, chunk);
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
 * Holds the volume for one transfer: one at a time per volume, mounted (through the counter)
 * while `fn` runs. The engine's volume lock is not held throughout, so mounts and unmounts by
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

/** Runs the script for `job` as `archiveModeFor` decides, and reads its output. */
async function runJob(engine: VolumeEngine, job: ArchiveJob, ctx: { name: string; file: string }): Promise<{ out: ArchiveOutput; raw: string }> {
  const mode = await archiveModeFor(job.mountpoint, job.op);
  const script = archiveScript(job, mode);
  const raw = mode === 'elevated' ? await engine.runner.runScript(script, MARK.started) : await runBash(script);
  return { out: readArchiveOutput({ op: job.op, name: ctx.name, mountpoint: job.mountpoint, file: ctx.file }, raw), raw };
}

/** Settles `p` and returns its error, or null: for copies whose failure may be expected. */
const settled = (p: Promise<unknown>) => p.then(
  () => null,
  (e: unknown) => e,
);

/** Writes the volume `name` as a tar archive to `sink`. */
export async function exportVolume(engine: VolumeEngine, name: string, sink: Writable, opts: ExportOptions = {}): Promise<ExportOutcome> {
  return withVolume(engine, name, async (mountpoint) => {
    const pipe = await makePipe();
    let stop: (() => void) | undefined;
    try {
      const reader = pipeReader(pipe.path);
      const total = opts.total ?? (opts.onProgress ? await estimateArchiveSize(mountpoint) : undefined);
      const count = counter(total, opts);
      const onAbort = () => {
        reader.stream.destroy();
        reader.release();
        stop ??= pipe.unblock('reader');
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const copy = settled(pipeline(reader.stream, count, sink));
      let result;
      try {
        result = await runJob(engine, { op: 'export', mountpoint, fifo: pipe.path }, { name, file: opts.file ?? 'ARCHIVE.tar' });
      } finally {
        reader.release();
        opts.signal?.removeEventListener('abort', onAbort);
      }
      const copyError = await copy;
      if (opts.signal?.aborted) throw transferCancelled(name, 'export', opts.file ? `${opts.file} was not written` : 'the archive is incomplete');
      if (!result.out.ok) throw result.out.error;
      if (copyError) throw copyError;
      return { Bytes: count.bytes };
    } finally {
      stop?.();
      pipe.dispose();
    }
  });
}

/**
 * Fills the volume `name` from the tar archive `source`. A volume that holds anything is
 * refused (VOLUME_NOT_EMPTY) unless `replace`; then its old entries give way only once the
 * whole archive was read and checked. `source` may be left unread or destroyed; closing it
 * is the caller's.
 */
export async function importVolume(engine: VolumeEngine, name: string, source: Readable, opts: ImportOptions = {}): Promise<ImportOutcome> {
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
    let writer: Socket | undefined;
    const onAbort = () => {
      unblock();
      writer?.destroy();
      source.destroy();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const job = runJob(engine, { op: 'import', mountpoint, fifo: pipe.path, replace: opts.replace ?? false }, { name, file: opts.file ?? 'ARCHIVE.tar' });
      // Whatever the script did not read by its end, it never will.
      const ended = settled(job).then(() => {
        unblock();
        writer?.destroy();
      });
      writer = await pipeWriter(pipe.path);
      const count = counter(opts.size, opts);
      if (opts.signal?.aborted) writer.destroy();
      const copy = settled(pipeline(source, count, writer));
      const result = await job;
      await ended;
      const copyError = await copy;
      if (result.out.ok) return { Entries: result.out.entries, Bytes: count.bytes, Replaced: opts.replace ?? false };
      if (opts.signal?.aborted) throw transferCancelled(name, 'import', `${name} is as it was`);
      if (copyError && !/ERR_STREAM_PREMATURE_CLOSE|EPIPE|ERR_STREAM_DESTROYED/.test(String((copyError as NodeJS.ErrnoException).code))) throw copyError;
      throw result.out.error;
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
      stop?.();
      pipe.dispose();
    }
  });
}
