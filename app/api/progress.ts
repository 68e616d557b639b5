// How a transfer's progress reads, the same in the window and on a terminal.

import { formatBytes } from './bytes.js';
import type { TransferProgress } from './types.js';

export interface ProgressText {
  /** "120 MB of 300 MB" or "120 MB" when the total is unknown. */
  done: string;
  /** "85 MB/s", '' until a rate can be told. */
  rate: string;
  /** "2 s left", '' when the total is unknown. */
  left: string;
  /** 0..1, or null when the total is unknown. */
  fraction: number | null;
}

const duration = (s: number) => (s < 60 ? `${Math.ceil(s)} s` : s < 3600 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`);

/** `elapsedMs` since the transfer started. */
export function progressText(p: TransferProgress, elapsedMs: number): ProgressText {
  const perSecond = elapsedMs >= 250 ? (p.Bytes * 1000) / elapsedMs : 0;
  const total = p.Total && p.Total > 0 ? p.Total : undefined;
  return {
    done: total ? `${formatBytes(p.Bytes)} of ${formatBytes(total)}` : formatBytes(p.Bytes),
    rate: perSecond > 0 ? `${formatBytes(perSecond)}/s` : '',
    left: total && perSecond > 0 ? `${duration(Math.max(0, total - p.Bytes) / perSecond)} left` : '',
    fraction: total ? Math.min(1, p.Bytes / total) : null,
  };
}
