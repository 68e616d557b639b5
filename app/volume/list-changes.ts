// The window's list, kept up to date by changes: each answer carries a Mark (the store file's
// version and the mount table's text, hashed, then the number of the answer), and the next
// request says which Mark its list was built from.
// - Neither the store nor the table moved: nothing is listed at all.
// - Only the store moved: its records are compared with the ones that Mark was built from, and
//   only the views of the records that differ are built and sent.
// - The table moved, or the window asks for a fresh look (space used, a plugin's state, which
//   neither captures): the whole list is built, and the views that differ are sent.
// A Mark that was forgotten (or never given) gets the whole list. Two windows at one Mark get
// answers of their own: each answer has a Mark of its own.

import { crypto } from '../system/crypto-lazy.js';
import type { ChangesRequest } from '../api/contract.js';
import type { VolumeChanges, VolumeInspect } from '../api/types.js';
import type { VolumeRecord } from '../state/schema.js';
import { mountTableText } from '../system/mountinfo.js';
import type { VolumeEngine } from './engine.js';

/** Answers kept, by Mark: one per window that is behind, in practice one or two. */
const KEEP = 3;
const HASH = 12;
/**
 * How long an answer built ahead (prepare) may be given: the space used and a plugin's state,
 * which neither the store nor the table captures, are as old as that. A window asks for both
 * again every five seconds (renderer/components/App.tsx), so it shows them that old anyway.
 */
const PREPARED_MS = 5000;

const hash = (text: string) => crypto().createHash('sha1').update(text).digest('hex').slice(0, HASH);

/** Whether two JSON values are equal; stops at the first difference. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!Object.hasOwn(b, k) || !sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

type ListChangesEngine = Pick<VolumeEngine, 'list' | 'listOf' | 'storeVersion' | 'recordsAsRead'>;

interface Sent {
  /** The mount table's hash when the views were built. */
  table: string;
  /** The records they were built from, or older ones (never newer: a change is sent twice rather than missed). */
  records: Readonly<Record<string, VolumeRecord>>;
  /** The store's version of those records. */
  version: string;
  /** The views; one that did not change is the same object in every answer. */
  views: Map<string, VolumeInspect>;
}

interface Prepared {
  /** The store's and the table's hashes it was built from (its Mark's start). */
  base: string;
  at: number;
  answer: VolumeChanges;
}

export class ListChanges {
  private readonly sent = new Map<string, Sent>();
  private answered = 0;
  private prepared: Promise<Prepared> | undefined;

  constructor(private readonly engine: ListChangesEngine) {}

  /**
   * Builds the answer a window asks for first (the whole list, no Mark) ahead, while a host
   * that has just started waits for its browser: at 10,000 volumes building it is most of a
   * first paint's wait. The first request with no Mark takes it (waiting for it if it is still
   * being built), once, and only while the store and the mount table are as it was built from.
   * Building it lists every volume, which reconciles each with the mount table (engine.list):
   * a host's start-up reconcile. Rejects with the list's error; a request then builds its own.
   */
  prepare(): Promise<void> {
    const building = this.since({}).then((answer) => ({ base: answer.Mark.slice(0, 2 * HASH), at: Date.now(), answer }));
    this.prepared = building;
    return building.then(
      () => undefined,
      (err: unknown) => {
        if (this.prepared === building) this.prepared = undefined;
        throw err;
      },
    );
  }

  async since(req: ChangesRequest): Promise<VolumeChanges> {
    const ahead = req.since === undefined && !req.fresh ? await this.takePrepared() : undefined;
    // Read before anything is built, so a write made meanwhile moves the next Mark.
    const table = hash(mountTableText());
    const base = `${hash(this.engine.storeVersion())}${table}`;
    if (ahead && ahead.base === base && Date.now() - ahead.at < PREPARED_MS) return ahead.answer;
    const before = req.since === undefined ? undefined : this.sent.get(req.since);
    if (before && req.since!.startsWith(base) && !req.fresh) return { Mark: req.since!, Full: false, Volumes: [], Removed: [] };
    const mark = `${base}${(++this.answered).toString(16)}`;
    const read = this.engine.recordsAsRead(before?.version);
    if (before && before.table === table && !req.fresh) return this.storeMoved(mark, before, table, read);

    const views = await this.engine.list();
    const previous = before ?? [...this.sent.values()].at(-1);
    const now = new Map<string, VolumeInspect>();
    const changed: VolumeInspect[] = [];
    for (const v of views) {
      const old = previous?.views.get(v.Name);
      const same = old !== undefined && sameJson(old, v);
      now.set(v.Name, same ? old : v);
      if (!same) changed.push(v);
    }
    this.remember(mark, { table, records: read.records, version: read.version, views: now });
    if (!before) return { Mark: mark, Full: true, Volumes: views, Removed: [] };
    return { Mark: mark, Full: false, Volumes: changed, Removed: [...before.views.keys()].filter((n) => !now.has(n)) };
  }

  /**
   * The table is as it was: a view can only have changed with its record. Where the store
   * knows which records changed since `before` was read, only those are compared.
   */
  private async storeMoved(mark: string, before: Sent, table: string, read: ReturnType<ListChangesEngine['recordsAsRead']>): Promise<VolumeChanges> {
    const { records, changed } = read;
    const candidates = changed ? [...changed].sort() : Object.keys(records);
    const differ = candidates.filter((n) => Object.hasOwn(records, n) && !sameJson(before.records[n], records[n]));
    const removed = (changed ? candidates.filter((n) => before.views.has(n)) : [...before.views.keys()]).filter((n) => !Object.hasOwn(records, n));
    const views = await this.engine.listOf(differ);
    const now = new Map(before.views);
    for (const n of removed) now.delete(n);
    for (const v of views) now.set(v.Name, v);
    this.remember(mark, { table, records, version: read.version, views: now });
    return { Mark: mark, Full: false, Volumes: views, Removed: removed };
  }

  /** The answer built ahead, if any, once: a second request meanwhile builds its own. */
  private async takePrepared(): Promise<Prepared | undefined> {
    const building = this.prepared;
    this.prepared = undefined;
    return building?.then(
      (p) => p,
      () => undefined,
    );
  }

  private remember(mark: string, sent: Sent): void {
    this.sent.set(mark, sent);
    while (this.sent.size > KEEP) this.sent.delete(this.sent.keys().next().value!);
  }
}
