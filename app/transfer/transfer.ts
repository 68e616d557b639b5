// `volume export` and `volume import`, podman's verbs, for every kind of volume. The volume is
// mounted for the transfer through the counter and unmounted after it, so a mounted volume
// stays mounted and an unmounted one ends unmounted. The archive streams through a FIFO
// between this process (or cat) and GNU tar, or tar writes an export's file itself
// (archive.sh decides what is refused and how an import is put in place); memory
// stays flat whatever the size, and a cancel ends the input of an import's tar, which leaves
// the volume as it was.

import { accessSync, constants, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { crypto } from '../system/crypto-lazy.js';
import { stat, statfs } from 'node:fs/promises';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { assertVolumeName } from '../api/names.js';
import type { ExportOutcome, ImportOutcome, VolumeInspect } from '../api/types.js';
import { importUnwritable, replaceRefused, tmpfsNotMounted, transferCancelled, volumeBusy, volumeFull } from './archive-errors.js';
import { archiveModeFor } from './archive-mode.js';
import { treeSize } from '../system/tree-size.js';
import { lazyMountTable } from '../system/mountinfo.js';
import { readArchiveOutput, type ArchiveOutput } from './archive-output.js';
import { makePipe, pipeReader } from './archive-pipe.js';
import { archiveScript, MARK, type ArchiveJob, type ArchiveMode } from './archive-script.js';
import { runBash } from '../system/direct-runner.js';
import type { VolumeEngine } from '../volume/engine.js';
import { fileFeeder, streamFeeder, type ArchiveFile, type Feeder } from './import-feeders.js';
import { counter, settled, type TransferHooks } from './transfer-progress.js';

export interface ImportOptions extends TransferHooks {
  /** The archive's size where known, for the free-space check and the progress total. */
  size?: number;
  replace?: boolean;
  /** The archive as the person named it, for the commands the errors suggest. */
  file?: string;
}

export interface ExportOptions extends TransferHooks {
  /** The file as the person named it, for the messages. */
  file?: string;
}

/**
 * Holds the volume for one transfer: one at a time per volume (the transfer lock), and the
 * volume usable while `fn` runs (engine.withMounted: mounted through the counter, and given
 * back after, also after a crash).
 */
async function withVolume<T>(engine: VolumeEngine, name: string, fn: (mountpoint: string, view: VolumeInspect, stage: StageRecord) => Promise<T>, check: (view: VolumeInspect) => void = () => undefined): Promise<T> {
  assertVolumeName(name);
  const key = `transfer-${name}`;
  const release = await engine.tryHold(key);
  if (!release) throw volumeBusy(name);
  const stage = stageRecord(engine.holdFile(key, 'stage'));
  try {
    return await engine.withMounted(name, key, (mountpoint, view) => fn(mountpoint, view, stage), check);
  } finally {
    await release();
  }
}

/**
 * The id of the import that stages in a volume now, recorded beside the transfer's lock before
 * its script runs and cleared when the script is over. Read under the transfer lock, so what
 * it holds is an import that died before its end: the next script clears that stage alone.
 */
interface StageRecord {
  /** The id a killed import left ('' when none, or when the record is not an id). */
  stale: string;
  /** A fresh id for this import, recorded before it is used. */
  begin(): string;
  /** The script is over: its stage is gone, whatever it did. */
  end(): void;
}

function stageRecord(file: string): StageRecord {
  let text = '';
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch {
    /* none recorded */
  }
  return {
    stale: /^[0-9a-f]{16}$/.test(text) ? text : '',
    begin() {
      const id = crypto().randomBytes(8).toString('hex');
      writeFileSync(file, id);
      return id;
    },
    end: () => rmSync(file, { force: true }),
  };
}

/** Runs the script for `job` in `mode`, and reads its output. */
async function runJob(engine: VolumeEngine, job: ArchiveJob, mode: ArchiveMode, ctx: { name: string; file: string }, signal?: AbortSignal): Promise<ArchiveOutput> {
  const script = archiveScript(job, mode);
  const raw = mode === 'elevated' ? await engine.runAsRoot(script, MARK.started) : await runBash(script, signal);
  return readArchiveOutput({ op: job.op, name: ctx.name, mountpoint: job.mountpoint, file: ctx.file }, raw);
}

/**
 * Writes the volume `name` as a tar archive to `sink`; or, given `directPath` (an empty file
 * of this user's) and no need of root, has GNU tar write that file itself, as fast as tar
 * alone (then `sink` is not used, and progress is the file's size).
 */
export async function exportVolume(engine: VolumeEngine, name: string, sink: Writable, opts: ExportOptions & { directPath?: string } = {}): Promise<ExportOutcome> {
  return withVolume(engine, name, async (mountpoint, _view, stage) => {
    const mode = await archiveModeFor(mountpoint, 'export', engine.dataOf(name).origin === 'made');
    // Counted only where someone watches: the walk is what makes time left possible.
    const total = opts.onProgress ? (await treeSize(mountpoint))?.tarBytes : undefined;
    const ctx = { name, file: opts.file ?? 'ARCHIVE.tar' };
    if (opts.directPath && mode === 'self') return exportDirect(engine, mountpoint, opts.directPath, total, ctx, stage, opts);
    const pipe = await makePipe();
    let stop: (() => void) | undefined;
    try {
      const reader = pipeReader(pipe.path);
      reader.stream.once('data', pipe.dispose);
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
        out = await runJob(engine, { op: 'export', mountpoint, io: pipe.path, stale: stage.stale }, mode, ctx);
        if (out.ok) stage.end();
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
async function exportDirect(engine: VolumeEngine, mountpoint: string, path: string, total: number | undefined, ctx: { name: string; file: string }, stage: StageRecord, opts: ExportOptions): Promise<ExportOutcome> {
  const report = async () => {
    const size = (await stat(path).catch(() => null))?.size;
    if (size !== undefined) opts.onProgress?.({ Bytes: size, ...(total !== undefined ? { Total: total } : {}) });
    return size ?? 0;
  };
  const timer = opts.onProgress ? setInterval(() => void report(), opts.progressMs ?? 200) : undefined;
  try {
    const out = await runJob(engine, { op: 'export', mountpoint, io: path, stale: stage.stale }, 'self', ctx, opts.signal);
    if (out.ok) stage.end();
    if (opts.signal?.aborted) throw transferCancelled(ctx.name, 'export', `${ctx.file} was not written`);
    if (!out.ok) throw out.error;
  } finally {
    clearInterval(timer);
  }
  return { Bytes: await report() };
}

/** Whether this process may make and rename entries in `dir` (root may everywhere it checks). */
function canWrite(dir: string): boolean {
  if (process.geteuid?.() === 0) return true;
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Fills the volume `name` from the tar archive `source`. A volume that holds anything is
 * refused (VOLUME_NOT_EMPTY) unless `replace`; then its old entries give way only once the
 * whole archive was read and checked. `source` may be left unread or destroyed; closing it
 * is the caller's.
 */
export async function importVolume(engine: VolumeEngine, name: string, source: Readable | ArchiveFile, opts: ImportOptions = {}): Promise<ImportOutcome> {
  return withVolume(engine, name, async (mountpoint, view, stage) => {
    const data = engine.dataOf(name);
    const mode = await archiveModeFor(mountpoint, 'import', data.origin === 'made');
    if (mode === 'self' && !canWrite(mountpoint)) throw importUnwritable(name, mountpoint, view.Options.device);
    // A plugin names its path; as root, a replace deletes only inside a mount of its own.
    if (opts.replace && data.origin === 'named' && process.geteuid?.() === 0 && !lazyMountTable().has(mountpoint)) throw replaceRefused(name, mountpoint);
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
      const job = runJob(engine, { op: 'import', mountpoint, io: pipe.path, replace: opts.replace ?? false, id: stage.begin(), stale: stage.stale }, mode, { name, file: opts.file ?? 'ARCHIVE.tar' }).finally(stage.end);
      // Whatever the script did not read by its end, it never will.
      const ended = settled(job).then(() => {
        unblock();
        feeder.stop();
      });
      await feeder.start(pipe.path);
      // Both ends are open (or the script is over): nothing needs the path any more, and a
      // kill -9 of this process from here on leaves no FIFO behind.
      pipe.dispose();
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
  }, (view) => {
    // A tmpfs keeps files only while mounted: an import's own unmount would drop them at once.
    if (engine.dataOf(name).lostAtUnmount && !view.Mounted) throw tmpfsNotMounted(name);
  });
}

