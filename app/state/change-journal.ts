// The store's change journal: beside volumes.json, one line per write saying which records it
// changed, from which version of the file to which. A process that holds the state as of an
// earlier version applies those lines to it instead of parsing the whole file again: at
// 10,000 volumes the parse is most of a list after another process wrote.
//
// It is a hint, never the truth: it is not fsynced, and a line is used only where its versions
// chain from what the reader holds to the file's version now (ino, size and time, as the
// store's own cache already trusts), each record passing the schema as a file's would. A line
// that is cut off, a gap, a file that is too big or a symlink: the reader parses the file.

import { closeSync, constants, fstatSync, openSync, readSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { recordProblem, type StateData, type VolumeRecord } from './schema.js';
import { NAME_PATTERN } from '../api/option-shapes.js';

export interface JournalEntry {
  /** The version of the file the change was made to. */
  from: string;
  /** The version of the file it wrote. */
  to: string;
  /** Each changed record as written, null for one removed; null for "read the whole file". */
  changed: Record<string, VolumeRecord | null> | null;
}

/** Past this, the next write starts the journal again with its own line. */
const JOURNAL_LIMIT = 64 * 1024;
/** A change of more records than this (a new boot's reset, a prune) says "read the whole file". */
const MOST_RECORDS = 256;

/**
 * Appends one write's line. Only under the store lock, after the file `entry.to` names was
 * written. Never throws: without its line, readers parse the file.
 */
export function appendEntry(file: string, entry: JournalEntry): void {
  const whole = entry.changed !== null && Object.keys(entry.changed).length > MOST_RECORDS ? { ...entry, changed: null } : entry;
  let line = `${JSON.stringify(whole)}\n`;
  if (line.length > JOURNAL_LIMIT) line = `${JSON.stringify({ ...entry, changed: null })}\n`;
  try {
    const fd = openSync(file, constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
    try {
      const size = fstatSync(fd).size;
      if (size + line.length < JOURNAL_LIMIT) {
        // A line a crash cut off must not swallow this one.
        const last = Buffer.alloc(1);
        if (size > 0 && readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a) line = `\n${line}`;
        writeSync(fd, line);
        return;
      }
    } finally {
      closeSync(fd);
    }
    const temp = `${file}.tmp-${process.pid}`;
    rmSync(temp, { force: true });
    writeFileSync(temp, line, { mode: 0o600, flag: 'wx' });
    renameSync(temp, file);
  } catch {
    /* no line: readers parse the file */
  }
}

/** The journal's text; undefined where there is none to use (missing, not a plain file, too big). */
function readJournal(file: string): string | undefined {
  try {
    const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      const st = fstatSync(fd);
      if (!st.isFile() || st.size > 2 * JOURNAL_LIMIT) return undefined;
      const buf = Buffer.alloc(st.size);
      let got = 0;
      for (let n = 1; got < st.size && n > 0; got += n) n = readSync(fd, buf, got, st.size - got, got);
      return buf.toString('utf8', 0, got);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

const isEntry = (e: unknown): e is JournalEntry => {
  if (typeof e !== 'object' || e === null) return false;
  const { from, to, changed } = e as Partial<JournalEntry>;
  return typeof from === 'string' && typeof to === 'string' && (changed === null || (typeof changed === 'object' && !Array.isArray(changed)));
};

/**
 * The state at version `to`, from `base` (the state at version `from`) and the journal's lines
 * between them, with the names those lines changed; undefined where the journal cannot say
 * (read the file then). Records that did not change are `base`'s own objects: callers must
 * treat both as read-only.
 */
export function catchUp(file: string, base: Readonly<StateData>, from: string, to: string): { data: StateData; names: string[] } | undefined {
  const text = readJournal(file);
  if (text === undefined) return undefined;
  // From the last line back, as far as the line that starts where the reader is: in practice
  // the last line or two, however long the journal.
  const next = new Map<string, JournalEntry>();
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0 && !next.has(from); i--) {
    if (!lines[i]) continue;
    try {
      const e: unknown = JSON.parse(lines[i]!);
      if (isEntry(e) && !next.has(e.from)) next.set(e.from, e);
    } catch {
      /* a line cut off by a crash: the chain through it is broken */
    }
  }
  const steps: Record<string, VolumeRecord | null>[] = [];
  for (let at = from; at !== to; ) {
    const e = next.get(at);
    if (!e || e.changed === null || steps.length >= next.size) return undefined;
    steps.push(e.changed);
    at = e.to;
  }
  return applyChanges(base, steps);
}

/**
 * `base` with each step's records put in (null: removed), in order, with the names they
 * changed; undefined where a record or a name does not pass the checks a parse of the file
 * makes. The steps' records must be parsed JSON (a journal line's, or a copy made through
 * JSON), so that the result is what a parse of the file would give. `volumes`, where given,
 * is a map already holding base's records for every name the steps do not name, filled in
 * place of a copy.
 */
export function applyChanges(base: Readonly<StateData>, steps: Record<string, VolumeRecord | null>[], volumes: Record<string, VolumeRecord> = copyOf(base.volumes)): { data: StateData; names: string[] } | undefined {
  const names = new Set<string>();
  for (const changed of steps) {
    for (const name of Object.keys(changed)) {
      names.add(name);
      const r = changed[name];
      if (r === null) {
        if (!NAME_PATTERN.test(name)) return undefined;
        delete volumes[name];
      } else {
        if (recordProblem(name, r) !== null) return undefined;
        volumes[name] = r!;
      }
    }
  }
  return { data: { ...base, volumes }, names: [...names] };
}

/** A copy of the records map that shares its records: a loop, which V8 runs faster than a spread for this many keys. */
export function copyOf(volumes: Readonly<Record<string, VolumeRecord>>): Record<string, VolumeRecord> {
  const copy: Record<string, VolumeRecord> = {};
  for (const name in volumes) copy[name] = volumes[name]!;
  return copy;
}
