// The exports and imports a window runs, by the id its page gave each: the one place that
// turns a transfer's progress and end into events, and a cancel into its abort. Each host
// (Electron, the browser host) owns one and pushes its events to the page.

import type { Envelope } from '../api/contract.js';
import type { TransferEvent, TransferProgress } from '../api/types.js';
import { invalidRequest } from '../errors/catalogue.js';
import { toGuided } from '../errors/guided-error.js';
import type { TransferHooks } from './transfer-progress.js';

export class Transfers {
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly emit: (e: TransferEvent) => void) {}

  /** Runs `work` as the transfer `id`, announcing it as it goes; errors come back as data. A TransferRunner (dispatch.ts). */
  readonly run = async <T>(id: string, name: string, op: TransferEvent['Op'], work: (hooks: TransferHooks) => Promise<T>): Promise<Envelope<T>> => {
    if (this.running.has(id)) return { ok: false, error: invalidRequest(`transfer ${id} is already running`).toJSON() };
    const controller = new AbortController();
    this.running.set(id, controller);
    let progress: TransferProgress = { Bytes: 0 };
    const emit = (State: TransferEvent['State'], extra: Partial<TransferEvent> = {}) => this.emit({ Id: id, Name: name, Op: op, State, Progress: progress, ...extra });
    emit('running');
    try {
      const value = await work({
        signal: controller.signal,
        progressMs: 250,
        onProgress: (p) => {
          progress = p;
          emit('running');
        },
      });
      emit('done');
      return { ok: true, value };
    } catch (err) {
      const error = toGuided(err).toJSON();
      emit(error.code === 'TRANSFER_CANCELLED' ? 'cancelled' : 'failed', { Error: error });
      return { ok: false, error };
    } finally {
      this.running.delete(id);
    }
  };

  cancel(id: string): boolean {
    const c = this.running.get(id);
    c?.abort();
    return c !== undefined;
  }

  /** When the window closes: nothing it started runs on unseen. */
  cancelAll(): void {
    for (const c of this.running.values()) c.abort();
  }
}
