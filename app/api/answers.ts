// The answers of an engine this process does not trust: another machine's, over SSH. Each
// answer is checked against the contract's response types before anything reads it, and
// rebuilt from what was checked, so that unknown keys never pass on: a volume's name is a
// volume name, counts are counts, and no string carries a control character that a terminal
// would obey (an escape sequence in a "name" is an attack on the person reading it).

import type { Operation, ResponseOf } from './contract.js';
import { invalidRequest } from '../errors/catalogue.js';
import type { GuidedErrorData } from '../errors/guided-error.js';
import { NAME_PATTERN } from './option-shapes.js';

type Check<T> = (v: unknown, at: string) => T;

const bad = (at: string, what: string) => invalidRequest(`the other machine's answer is not one the contract allows: ${at} ${what}`);

/** Text a terminal prints as text: no control character but newline and tab. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

const str: Check<string> = (v, at) => {
  if (typeof v !== 'string') throw bad(at, 'is not a string');
  if (CONTROL.test(v)) throw bad(at, 'holds a control character');
  if (v.length > 65_536) throw bad(at, 'is longer than any answer needs');
  return v;
};
const line: Check<string> = (v, at) => {
  const s = str(v, at);
  if (s.includes('\n')) throw bad(at, 'holds a newline');
  return s;
};
const name: Check<string> = (v, at) => {
  const s = line(v, at);
  if (!NAME_PATTERN.test(s) || s.length > 255) throw bad(at, 'is not a volume name');
  return s;
};
const int: Check<number> = (v, at) => {
  if (!Number.isSafeInteger(v) || (v as number) < 0) throw bad(at, 'is not a whole number');
  return v as number;
};
const bool: Check<boolean> = (v, at) => {
  if (typeof v !== 'boolean') throw bad(at, 'is not true or false');
  return v;
};
const oneOf =
  <T extends string>(...allowed: T[]): Check<T> =>
  (v, at) => {
    if (!allowed.includes(v as T)) throw bad(at, `is not one of ${allowed.join(', ')}`);
    return v as T;
  };
const opt =
  <T>(c: Check<T>): Check<T | undefined> =>
  (v, at) =>
    v === undefined ? undefined : c(v, at);
const list =
  <T>(c: Check<T>, max = 100_000): Check<T[]> =>
  (v, at) => {
    if (!Array.isArray(v) || v.length > max) throw bad(at, 'is not a list');
    return v.map((x, i) => c(x, `${at}[${i}]`));
  };
const record =
  <T>(c: Check<T>): Check<Record<string, T>> =>
  (v, at) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(at, 'is not an object');
    const out: Record<string, T> = {};
    for (const [k, x] of Object.entries(v)) out[line(k, `${at} key`)] = c(x, `${at}.${k}`);
    return out;
  };
/** An object of exactly these fields (others dropped); optional ones left out when absent. */
const shape =
  <T>(fields: { [K in keyof T]: Check<T[K]> }): Check<T> =>
  (v, at) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(at, 'is not an object');
    const out: Record<string, unknown> = {};
    for (const [k, c] of Object.entries(fields) as [string, Check<unknown>][]) {
      const x = c((v as Record<string, unknown>)[k], `${at}.${k}`);
      if (x !== undefined) out[k] = x;
    }
    return out as T;
  };
/** Any JSON a plugin reports (Status): strings checked, depth bounded. */
const json: Check<unknown> = (v, at) => {
  const walk = (x: unknown, depth: number, where: string): unknown => {
    if (depth > 8) throw bad(where, 'is nested too deep');
    if (x === null || typeof x === 'number' || typeof x === 'boolean') return x;
    if (typeof x === 'string') return str(x, where);
    if (Array.isArray(x)) return x.map((y, i) => walk(y, depth + 1, `${where}[${i}]`));
    if (typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, y]) => [line(k, `${where} key`), walk(y, depth + 1, `${where}.${k}`)]));
    throw bad(where, 'is not JSON');
  };
  return walk(v, 0, at);
};

const step = shape<{ text: string; command?: string }>({ text: str, command: opt(str) });
export const guidedError: Check<GuidedErrorData> = shape<GuidedErrorData>({
  code: (v, at) => {
    const s = line(v, at);
    if (!/^[A-Z][A-Z_]{2,40}$/.test(s)) throw bad(at, 'is not an error code');
    return s as GuidedErrorData['code'];
  },
  title: line,
  happened: str,
  why: str,
  steps: list(step, 20),
  podman: opt(str),
});

const hold = shape({ ID: line, Mounts: int, Engine: oneOf('podman', 'docker') });
const containerRef = shape({ Engine: oneOf('podman', 'docker'), ID: line, Name: line });
const inspect = shape<ResponseOf<'volume.inspect'>[number]>({
  Name: name,
  Driver: line,
  Mountpoint: line,
  CreatedAt: line,
  Labels: record(str),
  Options: record(str),
  Scope: oneOf('local', 'global'),
  UID: opt(int),
  GID: opt(int),
  MountCount: int,
  Timeout: opt(int),
  Mounted: bool,
  MountAt: oneOf('manual', 'login'),
  NeedsMount: bool,
  Kind: oneOf('directory', 'tmpfs', 'bind', 'device', 'nfs', 'sshfs', 'plugin', 'other'),
  Reconciled: opt(str),
  Status: opt((v, at) => json(v, at) as Record<string, unknown>),
  Plugin: opt(shape({ State: oneOf('ready', 'missing', 'not-answering'), Address: opt(line), Error: opt(str) })),
  Usage: opt(shape({ Used: int, Size: int })),
  UsedBy: opt(list(hold, 1000)),
  Containers: opt(list(containerRef, 1000)),
});
const batch = <T>(value: Check<T>) => list(shape({ name: line, ok: bool, value: opt(value), error: opt(guidedError) }));
const removeOutcome = shape({ warning: opt(str) });

/**
 * The ops an engine on another machine is asked, and how each answer is checked. What belongs
 * to the machine it runs on (mount at login, its autostart entry; the plugin server; the folder
 * picker) is not among them: it is done there.
 */
export const answerChecks: Partial<{ [K in Operation]: Check<ResponseOf<K>> }> = {
  'volume.create': inspect,
  'volume.validate': shape({ ok: (v, at) => (v === true ? true : (() => { throw bad(at, 'is not true'); })()) }),
  'volume.inspect': list(inspect),
  'volume.list': list(inspect),
  'volume.mount': batch(shape({ Mountpoint: line, MountCount: int })),
  'volume.unmount': batch(shape({ MountCount: int })),
  'volume.remove': batch(removeOutcome),
  'volume.prune': batch(removeOutcome),
  'volume.rename': inspect,
  'volume.reload': shape({ Added: list(name), Removed: list(name), Errors: list(shape({ Driver: line, Volume: opt(name), Error: guidedError })) }),
  'driver.places': list(line),
  'driver.list': list(shape({ Name: line, Source: line, Answers: bool, Scope: opt(oneOf('local', 'global')), Address: opt(line), Error: opt(str) })),
  'nfs.exports': list(shape({ path: line, clients: line })),
  'volume.changes': shape({ Mark: line, Full: bool, Volumes: list(inspect), Removed: list(name) }),
  'volume.contents': list(
    shape({
      Name: name,
      Loses: oneOf('files', 'nothing', 'plugin', 'record'),
      Entries: opt(int),
      Bytes: opt(int),
      Source: opt(line),
      Holders: opt(list(line, 1000)),
      MountCount: opt(int),
      UsedBy: opt(list(hold, 1000)),
    }),
  ),
};

/** Checks and rebuilds the answer to `op`; INVALID_REQUEST where the contract does not allow it. */
export function checkAnswer<K extends Operation>(op: K, value: unknown): ResponseOf<K> {
  const check = answerChecks[op] as Check<ResponseOf<K>> | undefined;
  if (!check) throw invalidRequest(`${op} is not asked of another machine`);
  return check(value, op);
}
