// How a transfer reports its progress, and where a test may hold it (fault-points.ts).

import { Transform } from 'node:stream';
import type { TransferProgress } from '../api/types.js';
import { holdTransfer } from '../system/fault-points.js';

export interface TransferHooks {
  signal?: AbortSignal;
  /** Called at most every `progressMs` (and once at the end) while bytes flow. */
  onProgress?: (p: TransferProgress) => void;
  progressMs?: number;
}

/** Reports progress at most every `progressMs` and at the end; false holds the bytes (fault-points.ts). */
export function progressOf(total: number | undefined, hooks: TransferHooks): (bytes: number) => boolean {
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
export function counter(total: number | undefined, hooks: TransferHooks): Transform & { bytes: number } {
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

/** Settles `p` and returns its error, or null: for copies whose failure may be expected. */
export const settled = (p: Promise<unknown>) => p.then(
  () => null,
  (e: unknown) => e,
);
