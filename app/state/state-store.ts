// The one store of volume records. Reads go straight to the file (the command line's
// read-only verbs must start fast); writes go through a conf-compatible backend
// (electron-store in the app, conf elsewhere) under the store lock, so that concurrent
// read-modify-write cycles from several processes never lose an update. Each write also says
// which records it changed in the change journal, so that a process holding the state (the
// window, a host) catches up on another's write without parsing the whole file again.

import { closeSync, existsSync, fstatSync, openSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { appendEntry, applyChanges, catchUp, copyOf } from './change-journal.js';
import { trackChanges } from './change-tracker.js';
import { stateCorrupt, permissionDenied } from '../errors/catalogue.js';
import { acquire } from './locks.js';
import { stateWriteError } from './write-errors.js';
import type { StateLayout } from './layout.js';
import { currentBootId } from '../system/boot.js';
import { emptyState, forgetMounts, stateProblem, type StateData, type VolumeRecord } from './schema.js';

/** What electron-store and conf both are: a JSON document behind `store`, written atomically. */
export interface ConfLike {
  store: Record<string, unknown>;
  readonly path: string;
}

export type BackendFactory = (layout: StateLayout) => Promise<ConfLike>;

/**
 * The store file is the user's alone, as podman's volume database is: options name servers,
 * keys and paths. Every write renames a new file in, so an older 0644 file turns 0600 at the next.
 */
export const STORE_FILE_MODE = 0o600;

/** conf, created on the first write only: loading it costs a read-only command too much. */
export const confBackend: BackendFactory = async (layout) => {
  const { default: Conf } = await import('conf');
  return new Conf({
    cwd: layout.dir,
    configName: 'volumes',
    projectName: 'volume-manager',
    accessPropertiesByDotNotation: false,
    clearInvalidConfig: false,
    configFileMode: STORE_FILE_MODE,
  }) as unknown as ConfLike;
};

const STORE_LOCK_WAIT_MS = 30_000;

/** Identifies one version of the file: every write renames a new file in (a new inode). */
const versionOf = (st: { ino: number; size: number; mtimeMs: number }) => `${st.ino}:${st.size}:${st.mtimeMs}`;

/** The fields beside the records, as text: a change to one of them (a new boot) is not a record's. */
const besideRecords = ({ volumes: _, ...rest }: StateData) => JSON.stringify(rest);

/**
 * `data` as conf's whole-store write takes it. That write reads and parses the file again to
 * carry over its migrations' bookkeeping (the `__internal__` key), which this store never has:
 * a key conf sees and JSON does not write says there is none, so a write parses the file once.
 */
function withoutConfBookkeeping(data: StateData): Record<string, unknown> {
  return Object.defineProperty({ ...data }, '__internal__', { value: undefined, enumerable: false });
}

/**
 * `volumes`, each held record replaced by a copy of its own the first time it is read. A name
 * the change sets or removes first is the change's own from then on, never copied.
 */
function copiedOnRead(volumes: Record<string, VolumeRecord>): Record<string, VolumeRecord> {
  const own = new Set<string>();
  return new Proxy(volumes, {
    get: (t, k, r) => {
      if (typeof k === 'string' && !own.has(k) && Object.hasOwn(t, k)) {
        own.add(k);
        t[k] = structuredClone(t[k]!);
      }
      return Reflect.get(t, k, r);
    },
    defineProperty: (t, k, d) => (typeof k === 'string' && own.add(k), Reflect.defineProperty(t, k, d)),
    deleteProperty: (t, k) => (typeof k === 'string' && own.add(k), Reflect.deleteProperty(t, k)),
  });
}

export class StateStore {
  private backend: ConfLike | undefined;
  private cache: { version: string; data: StateData } | undefined;
  /** Which records each write changed (change-journal.ts). */
  private readonly journal: string;
  /** What this process learnt from the journal, a step per catch-up, the latest last. */
  private readonly steps: { from: string; to: string; names: string[] }[] = [];

  constructor(
    readonly layout: StateLayout,
    private readonly backendFactory: BackendFactory = confBackend,
    private readonly bootId: () => string | undefined = currentBootId,
  ) {
    this.journal = join(layout.dir, 'volumes.changes');
  }

  /** Whether the counters were written during another boot, and so count mounts that are gone. */
  fromAnotherBoot(): boolean {
    const stored = this.snapshot().bootId;
    const boot = this.bootId();
    return stored !== undefined && boot !== undefined && stored !== boot;
  }

  /** Which version of the file is there now ('' for none): it changes with every write, by anyone. */
  fileVersion(): string {
    try {
      return versionOf(statSync(this.layout.stateFile));
    } catch {
      return '';
    }
  }

  /**
   * The current state for reading only (list, inspect): reuses the last parse while the
   * file is the same version, so a long-lived process pays a stat, not a parse, per list.
   * The result is shared: callers must not mutate it.
   */
  snapshot(): Readonly<StateData> {
    return this.versionedSnapshot().data;
  }

  /** snapshot(), with the version of the file it stands for ('' for none). */
  versionedSnapshot(): { version: string; data: Readonly<StateData> } {
    let version: string;
    try {
      version = versionOf(statSync(this.layout.stateFile));
    } catch {
      return { version: '', data: this.read() };
    }
    if (this.cache?.version === version) return this.cache;
    const caught = this.cache && catchUp(this.journal, this.cache.data, this.cache.version, version);
    if (caught) this.learn(this.cache!.version, version, caught);
    else this.cache = this.readVersioned();
    return this.cache!;
  }

  /** Holds `caught` as the state at version `to`, one step on from `from`. */
  private learn(from: string, to: string, caught: { data: StateData; names: string[] }): void {
    this.steps.push({ from, to, names: caught.names });
    if (this.steps.length > 16) this.steps.shift();
    this.cache = { version: to, data: caught.data };
  }

  /**
   * The names of the records that changed from one version this process held to another, where
   * it caught up through the journal all the way; undefined where it parsed the file between
   * (compare the records then).
   */
  changedBetween(from: string, to: string): ReadonlySet<string> | undefined {
    const names = new Set<string>();
    let at = from;
    for (const step of this.steps) {
      if (at === to) break;
      if (step.from !== at) continue;
      for (const n of step.names) names.add(n);
      at = step.to;
    }
    return at === to ? names : undefined;
  }

  /**
   * Reads and checks the whole state, uncached. A file that does not parse or breaks the schema is
   * renamed aside (never wiped) and STATE_CORRUPT is thrown naming both paths.
   */
  read(): StateData {
    return this.readVersioned().data;
  }

  /** read(), with the version of the very file that was read ('' for none). */
  private readVersioned(): { version: string; data: StateData } {
    const file = this.layout.stateFile;
    let text: string;
    let version: string;
    try {
      const fd = openSync(file, 'r');
      try {
        version = versionOf(fstatSync(fd));
        text = readFileSync(fd, 'utf8');
      } finally {
        closeSync(fd);
      }
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { version: '', data: emptyState() };
      if (code === 'EACCES') throw permissionDenied((err as Error).message, file);
      throw err;
    }
    let problem: string | null;
    let data: unknown;
    try {
      data = text.trim() === '' || text.trim() === '{}' ? emptyState() : JSON.parse(text);
      problem = stateProblem(data);
    } catch (err) {
      problem = (err as Error).message;
    }
    if (problem === null) return { version, data: data as StateData };
    const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    try {
      renameSync(file, aside);
    } catch (err) {
      if (existsSync(file)) throw err;
    }
    throw stateCorrupt(file, aside, `${file}: ${problem}`);
  }

  /**
   * Brings the cache past this process's own write, as a reader would through its journal line
   * but without reading the journal: the next snapshot (the mount that follows, the list) costs
   * a stat. Only under the store lock, right after the write of version `to` from `from`, and
   * only where the cache held `from`; otherwise the next snapshot catches up or parses as before.
   */
  private learnOwn(from: string, to: string, changed: Record<string, VolumeRecord | null> | null, written: Record<string, VolumeRecord>): void {
    if (changed === null || to === '' || this.cache?.version !== from) return;
    // Through JSON, as the journal line carries them: what a parse of the file would hold, and
    // no object the change or its caller keeps. The written map holds the held records for
    // every other name (startingPoint), so it becomes the new state's, and no copy is made.
    const caught = applyChanges(this.cache.data, [JSON.parse(JSON.stringify(changed)) as Record<string, VolumeRecord | null>], written);
    if (caught) this.learn(from, to, caught);
  }

  /**
   * The state a change starts from, under the store lock, with `volumes`, the plain map behind
   * its records. Where the file is still the version this process holds (a stat), it is the
   * held state, each record copied when the change first reads it, so that the shared snapshot
   * never changes; a parse of the file otherwise.
   */
  private startingPoint(): { version: string; data: StateData; volumes: Record<string, VolumeRecord> } {
    const version = this.fileVersion();
    const held = this.cache;
    if (held === undefined || version === '' || held.version !== version) {
      const read = this.readVersioned();
      return { ...read, volumes: read.data.volumes };
    }
    const volumes = copyOf(held.data.volumes);
    return { version, data: { ...held.data, volumes: copiedOnRead(volumes) }, volumes };
  }

  /**
   * Runs `change` on the state as the file holds it now, under the store lock, and saves what it
   * leaves. `change` must be synchronous and quick: other processes wait for it. Counters
   * written during another boot are forgotten first, so no change builds on them.
   */
  async update<T>(change: (data: StateData) => T): Promise<T> {
    const release = await acquire(this.layout.locksDir, 'store', { waitMs: STORE_LOCK_WAIT_MS });
    try {
      const { version: from, data, volumes: raw } = this.startingPoint();
      const beside = besideRecords(data);
      const boot = this.bootId();
      if (boot !== undefined) {
        if (data.bootId !== undefined && data.bootId !== boot) forgetMounts(data);
        data.bootId = boot;
      }
      const records = data.volumes;
      const tracked = trackChanges(records);
      data.volumes = tracked.volumes;
      let result: T;
      let replaced: boolean;
      try {
        result = change(data);
      } finally {
        replaced = data.volumes !== tracked.volumes;
        if (!replaced) data.volumes = raw;
      }
      try {
        this.backend ??= await this.backendFactory(this.layout);
        this.backend.store = withoutConfBookkeeping(data);
      } catch (err) {
        throw stateWriteError(err, this.layout.dir);
      }
      const whole = replaced || from === '' || besideRecords(data) !== beside;
      const to = this.fileVersion();
      const changed = whole ? null : Object.fromEntries([...tracked.touched].map((n) => [n, raw[n] ?? null]));
      appendEntry(this.journal, { from, to, changed });
      this.learnOwn(from, to, changed, raw);
      return result;
    } finally {
      await release();
    }
  }
}
