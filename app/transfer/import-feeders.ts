// What puts an import's archive into its FIFO: a stream (standard input, an upload), checked
// on the way by archive-guard.ts, or a file this process opened, copied by cat.

import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { archiveTruncated, compressedArchive } from './archive-errors.js';
import { archiveGuard } from './archive-guard.js';
import { pipeWriter } from './archive-pipe.js';
import { feedFile, type FileFeed } from './file-feed.js';
import { progressOf, settled, type TransferHooks } from './transfer-progress.js';

/** Of the import options, what a feeder needs. */
export interface FeedOptions extends TransferHooks {
  size?: number;
  file?: string;
}

/** An archive file this process opened, already checked (archive-files.ts), fed by cat. */
export interface ArchiveFile {
  fd: number;
  size: number;
}

/** What puts the archive into the FIFO, and what it found wrong with it on the way. */
export interface Feeder {
  start(fifo: string): Promise<void>;
  stop(): void;
  done(): Promise<{ bytes: number; problem: Error | null }>;
}

export function streamFeeder(name: string, source: Readable, opts: FeedOptions): Feeder {
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
        ? compressedArchive(name, guard.compressed, file)
        : guard.truncated
          ? archiveTruncated(name, `the archive ends after ${guard.bytes} bytes without the end marker of a tar archive`)
          : quiet
            ? null
            : (error as Error);
      return { bytes: guard.bytes, problem };
    },
  };
}

export function fileFeeder(source: ArchiveFile, opts: FeedOptions): Feeder {
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
