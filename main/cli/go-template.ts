// podman's --format: Go's text/template language, as far as podman's volume docs and scripts
// use it. Text and {{actions}} with {{- -}} trimming; pipelines of fields (.Name, .Labels.a,
// $var.Field), literals, parenthesised pipelines and functions (podman's json, upper, lower,
// title, truncate, join, split, pad; Go's len, index, printf, print, println, eq, ne, lt, le,
// gt, ge, not, and, or); if / else if / else, range (over lists and maps, with $k, $v :=),
// with, and comments. Values print as Go prints them: maps as map[k:v] with sorted keys, lists
// as [a b], a missing map key as <no value>, a time as Go's time.String. A `table` prefix adds
// a header row and aligns \t-separated columns as podman's tabwriter does.

export class TemplateError extends Error {}

type Value = unknown;
type Node =
  | { k: 'text'; text: string }
  | { k: 'out'; pipe: Pipe; at: number }
  | { k: 'if'; pipe: Pipe; then: Node[]; else: Node[]; at: number }
  | { k: 'range'; pipe: Pipe; key?: string; val?: string; body: Node[]; else: Node[]; at: number }
  | { k: 'with'; pipe: Pipe; body: Node[]; else: Node[]; at: number };
type Arg = { k: 'field'; base: 'dot' | string; path: string[] } | { k: 'lit'; value: Value } | { k: 'fn'; name: string } | { k: 'sub'; pipe: Pipe };
type Cmd = Arg[];
interface Pipe {
  decl?: string;
  cmds: Cmd[];
}

/** Go's time.Time String() of an RFC 3339 time, where `v` is one; else undefined. */
function goTime(v: string): string | undefined {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(v);
  if (!m) return undefined;
  const frac = (m[3] ?? '').replace(/0+$/, '');
  const zone = m[4] === 'Z' ? '+0000 UTC' : `${m[4]!.replace(':', '')} ${m[4]!.replace(':', '')}`;
  return `${m[1]} ${m[2]}${frac ? `.${frac}` : ''} ${zone}`;
}

/** Fields whose Go type is time.Time print as Go prints a time. */
const TIME_FIELDS = new Set(['CreatedAt']);

/** A value as Go's fmt %v prints it. */
export function goString(v: Value): string {
  if (v === undefined || v === null) return '<no value>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goString).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, Value>;
    return `map[${Object.keys(o)
      .sort()
      .map((k) => `${k}:${goString(o[k])}`)
      .join(' ')}]`;
  }
  return String(v);
}

const truthy = (v: Value) => !(v === undefined || v === null || v === false || v === 0 || v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0));

function printf(format: string, args: Value[]): string {
  let i = 0;
  return format.replace(/%([-+ 0#]*)(\d*)(?:\.(\d+))?([sdvqtxX%])/g, (_all, flags: string, width: string, _prec, verb: string) => {
    if (verb === '%') return '%';
    const a = args[i++];
    let s = verb === 'q' ? JSON.stringify(goString(a)) : verb === 'x' ? Number(a).toString(16) : verb === 'X' ? Number(a).toString(16).toUpperCase() : goString(a);
    const w = Number(width || 0);
    if (s.length < w) s = flags.includes('-') ? s.padEnd(w) : s.padStart(w, flags.includes('0') && verb === 'd' ? '0' : ' ');
    return s;
  });
}

const cmp = (name: string, f: (a: number | string, b: number | string) => boolean) => (a: Value, b: Value) => {
  if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) throw new TemplateError(`error calling ${name}: incompatible types for comparison`);
  return f(a as number | string, b as number | string);
};

const FUNCS: Record<string, (...args: Value[]) => Value> = {
  json: (v) => JSON.stringify(v ?? null),
  upper: (s) => goString(s).toUpperCase(),
  lower: (s) => goString(s).toLowerCase(),
  title: (s) => goString(s).replace(/\b\w/g, (c) => c.toUpperCase()),
  truncate: (s, n) => goString(s).slice(0, Number(n)),
  join: (list, sep) => (Array.isArray(list) ? list.map(goString).join(goString(sep)) : goString(list)),
  split: (s, sep) => goString(s).split(goString(sep)),
  pad: (s, before, after) => `${' '.repeat(Number(before))}${goString(s)}${' '.repeat(Number(after))}`,
  len: (v) => {
    if (typeof v === 'string' || Array.isArray(v)) return v.length;
    if (v && typeof v === 'object') return Object.keys(v).length;
    throw new TemplateError(`error calling len: len of type ${typeof v}`);
  },
  index: (v, ...keys) => keys.reduce<Value>((at, k) => (at && typeof at === 'object' ? (at as Record<string, Value>)[goString(k)] : undefined), v),
  printf: (f, ...args) => printf(goString(f), args),
  print: (...args) => args.map(goString).join(''),
  println: (...args) => `${args.map(goString).join(' ')}\n`,
  eq: (a, ...bs) => bs.some((b) => a === b),
  ne: (a, b) => a !== b,
  lt: cmp('lt', (a, b) => a < b),
  le: cmp('le', (a, b) => a <= b),
  gt: cmp('gt', (a, b) => a > b),
  ge: cmp('ge', (a, b) => a >= b),
  not: (v) => !truthy(v),
  and: (...vs) => vs.find((v) => !truthy(v)) ?? vs[vs.length - 1],
  or: (...vs) => vs.find((v) => truthy(v)) ?? vs[vs.length - 1],
};

// ---- lexing and parsing ----

interface Action {
  text: string;
  at: number;
}

/** Splits `src` into text and the inside of each {{action}}, trimming around {{- and -}}. */
function split(src: string): (string | Action)[] {
  const parts: (string | Action)[] = [];
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    if (open < 0) {
      parts.push(src.slice(i));
      break;
    }
    let text = src.slice(i, open);
    let start = open + 2;
    if (src.startsWith('- ', start) || src.startsWith('-\t', start) || src.startsWith('-\n', start)) {
      text = text.replace(/\s+$/, '');
      start += 1;
    }
    const close = findClose(src, start);
    if (close < 0) throw new TemplateError(`template: ${lineCol(src, open)}: unclosed action`);
    let inner = src.slice(start, close);
    let next = close + 2;
    if (/\s-$/.test(inner)) {
      inner = inner.slice(0, -1);
      const m = /^\s*/.exec(src.slice(next))!;
      next += m[0].length;
    }
    if (text) parts.push(text);
    parts.push({ text: inner.trim(), at: open });
    i = next;
  }
  return parts;
}

/** The }} that ends the action starting at `from`, skipping strings. */
function findClose(src: string, from: number): number {
  for (let i = from; i < src.length - 1; i++) {
    const c = src[i];
    if (c === '"') {
      for (i++; i < src.length && src[i] !== '"'; i++) if (src[i] === '\\') i++;
    } else if (c === '`') {
      i = src.indexOf('`', i + 1);
      if (i < 0) return -1;
    } else if (c === '}' && src[i + 1] === '}') return i;
  }
  return -1;
}

const lineCol = (src: string, at: number) => {
  const before = src.slice(0, at).split('\n');
  return `${before.length}:${before.at(-1)!.length}`;
};

/** The words of an action: strings, parentheses, pipes and the rest. */
function tokens(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) i++;
    else if (c === '(' || c === ')' || c === '|' || c === ',') {
      out.push(c);
      i++;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < text.length && text[j] !== '"'; j++) if (text[j] === '\\') j++;
      if (j >= text.length) throw new TemplateError('unterminated quoted string');
      out.push(text.slice(i, j + 1));
      i = j + 1;
    } else if (c === '`') {
      const j = text.indexOf('`', i + 1);
      if (j < 0) throw new TemplateError('unterminated raw quoted string');
      out.push(text.slice(i, j + 1));
      i = j + 1;
    } else {
      let j = i;
      while (j < text.length && !/[\s()|,]/.test(text[j]!)) j++;
      out.push(text.slice(i, j));
      i = j;
    }
  }
  return out;
}

function parsePipe(words: string[]): Pipe {
  let pos = 0;
  const pipe: Pipe = { cmds: [] };
  if (words.length >= 2 && /^\$\w*$/.test(words[0]!) && words[1] === ':=') {
    pipe.decl = words[0];
    pos = 2;
  }
  const parseArg = (): Arg => {
    const w = words[pos++];
    if (w === undefined) throw new TemplateError('missing value');
    if (w === '(') {
      const start = pos;
      let depth = 1;
      while (pos < words.length && depth) {
        if (words[pos] === '(') depth++;
        if (words[pos] === ')') depth--;
        pos++;
      }
      if (depth) throw new TemplateError('unclosed left paren');
      return { k: 'sub', pipe: parsePipe(words.slice(start, pos - 1)) };
    }
    if (w.startsWith('"')) return { k: 'lit', value: JSON.parse(w) as string };
    if (w.startsWith('`')) return { k: 'lit', value: w.slice(1, -1) };
    if (/^-?\d+(\.\d+)?$/.test(w)) return { k: 'lit', value: Number(w) };
    if (w === 'true' || w === 'false') return { k: 'lit', value: w === 'true' };
    if (w === 'nil') return { k: 'lit', value: null };
    if (w === '.') return { k: 'field', base: 'dot', path: [] };
    if (w.startsWith('.')) return { k: 'field', base: 'dot', path: w.slice(1).split('.') };
    if (w.startsWith('$')) {
      const [name, ...path] = w.split('.');
      return { k: 'field', base: name!, path };
    }
    if (Object.hasOwn(FUNCS, w)) return { k: 'fn', name: w };
    throw new TemplateError(`function "${w}" not defined`);
  };
  let cmd: Cmd = [];
  while (pos < words.length) {
    if (words[pos] === '|') {
      if (!cmd.length) throw new TemplateError('missing command before |');
      pipe.cmds.push(cmd);
      cmd = [];
      pos++;
      continue;
    }
    if (words[pos] === ')') throw new TemplateError('unexpected right paren');
    cmd.push(parseArg());
  }
  if (!cmd.length) throw new TemplateError('missing value for command');
  pipe.cmds.push(cmd);
  return pipe;
}

function parseNodes(parts: (string | Action)[], src: string): Node[] {
  let i = 0;
  /** An if or with and what follows it up to its {{end}}; {{else if}} nests an if sharing that end. */
  const conditional = (head: 'if' | 'with', words: string[], at: number): Node => {
    const pipe = parsePipe(words);
    const then = block(['end', 'else']);
    let otherwise: Node[] = [];
    if (then.end === 'else') {
      const rest = tokens(then.endAction!.text).slice(1);
      otherwise = rest[0] === 'if' ? [conditional('if', rest.slice(1), then.endAction!.at)] : block(['end']).nodes;
    }
    return head === 'if' ? { k: 'if', pipe, then: then.nodes, else: otherwise, at } : { k: 'with', pipe, body: then.nodes, else: otherwise, at };
  };
  const block = (ends: string[]): { nodes: Node[]; end: string; endAction?: Action } => {
    const nodes: Node[] = [];
    while (i < parts.length) {
      const p = parts[i++]!;
      if (typeof p === 'string') {
        nodes.push({ k: 'text', text: p });
        continue;
      }
      const where = (m: string) => new TemplateError(`template: ${lineCol(src, p.at)}: ${m}`);
      const words = tokens(p.text);
      const head = words[0] ?? '';
      if (p.text.startsWith('/*')) continue;
      if (head === 'end' || head === 'else') {
        if (!ends.includes(head)) throw where(`unexpected {{${head}}}`);
        return { nodes, end: head, endAction: p };
      }
      try {
        if (head === 'if' || head === 'with') nodes.push(conditional(head, words.slice(1), p.at));
        else if (head === 'range') {
          let rest = words.slice(1);
          let key: string | undefined;
          let val: string | undefined;
          const assign = rest.indexOf(':=');
          if (assign > 0) {
            const vars = rest.slice(0, assign).filter((w) => w !== ',');
            if (vars.length === 2) [key, val] = vars;
            else val = vars[0];
            rest = rest.slice(assign + 1);
          }
          const pipe = parsePipe(rest);
          const body = block(['end', 'else']);
          const otherwise = body.end === 'else' ? block(['end']).nodes : [];
          nodes.push({ k: 'range', pipe, ...(key ? { key } : {}), ...(val ? { val } : {}), body: body.nodes, else: otherwise, at: p.at });
        } else nodes.push({ k: 'out', pipe: parsePipe(words), at: p.at });
      } catch (err) {
        if (err instanceof TemplateError && !err.message.startsWith('template:')) throw where(err.message);
        throw err;
      }
    }
    if (ends.length) throw new TemplateError(`template: unexpected EOF: a {{${ends.includes('else') ? 'range, if or with' : 'block'}}} has no {{end}}`);
    return { nodes, end: '' };
  };
  return block([]).nodes;
}

// ---- execution ----

interface Scope {
  dot: Value;
  vars: Map<string, Value>;
}

function field(base: Value, path: string[]): Value {
  let v = base;
  for (const name of path) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new TemplateError(`can't evaluate field ${name} in type ${Array.isArray(v) ? 'list' : typeof v}`);
    const o = v as Record<string, Value>;
    if (!Object.hasOwn(o, name)) {
      // A struct's field that is not there is an error; a map's missing key is <no value>.
      if (!mapObjects.has(v)) throw new TemplateError(`can't evaluate field ${name}`);
      return undefined;
    }
    v = TIME_FIELDS.has(name) && typeof o[name] === 'string' ? (goTime(o[name] as string) ?? o[name]) : o[name];
  }
  return v;
}

/** Labels and Options are maps in Go; everything else reached by a path is a struct. */
const MAPS = new Set(['Labels', 'Options', 'Status']);
const mapObjects = new WeakSet<object>();

function markMaps(v: Value): void {
  if (!v || typeof v !== 'object') return;
  if (Array.isArray(v)) return v.forEach(markMaps);
  for (const [k, x] of Object.entries(v)) {
    if (MAPS.has(k) && x && typeof x === 'object') mapObjects.add(x);
    else markMaps(x);
  }
}

function evalArg(a: Arg, s: Scope, top: Value): Value {
  if (a.k === 'lit') return a.value;
  if (a.k === 'sub') return evalPipe(a.pipe, s, top);
  if (a.k === 'fn') return FUNCS[a.name]!();
  if (a.base === 'dot') return field(s.dot, a.path);
  if (!s.vars.has(a.base)) throw new TemplateError(`undefined variable "${a.base}"`);
  return field(s.vars.get(a.base), a.path);
}

function evalPipe(p: Pipe, s: Scope, top: Value): Value {
  let carried: Value;
  let first = true;
  for (const cmd of p.cmds) {
    const [head, ...rest] = cmd;
    const args = rest.map((a) => evalArg(a, s, top));
    if (!first) args.push(carried);
    if (head!.k === 'fn') carried = FUNCS[head!.name]!(...args);
    else {
      if (args.length) throw new TemplateError(`can't give argument to non-function ${head!.k === 'field' ? `.${head!.path.join('.')}` : 'value'}`);
      carried = evalArg(head!, s, top);
    }
    first = false;
  }
  if (p.decl) s.vars.set(p.decl, carried);
  return carried;
}

function run(nodes: Node[], s: Scope, top: Value, out: string[]): void {
  for (const n of nodes) {
    if (n.k === 'text') out.push(n.text);
    else if (n.k === 'out') {
      const v = evalPipe(n.pipe, s, top);
      if (!n.pipe.decl) out.push(goString(v));
    } else if (n.k === 'if') run(truthy(evalPipe(n.pipe, s, top)) ? n.then : n.else, s, top, out);
    else if (n.k === 'with') {
      const v = evalPipe(n.pipe, s, top);
      if (truthy(v)) run(n.body, { dot: v, vars: s.vars }, top, out);
      else run(n.else, s, top, out);
    } else {
      const v = evalPipe(n.pipe, s, top);
      const entries: [Value, Value][] = Array.isArray(v)
        ? v.map((x, i) => [i, x])
        : v && typeof v === 'object'
          ? Object.keys(v)
              .sort()
              .map((k) => [k, (v as Record<string, Value>)[k]])
          : v === undefined || v === null
            ? []
            : (() => {
                throw new TemplateError(`range can't iterate over ${goString(v)}`);
              })();
      if (!entries.length) run(n.else, s, top, out);
      for (const [k, x] of entries) {
        const vars = new Map(s.vars);
        if (n.key) vars.set(n.key, k);
        if (n.val) vars.set(n.val, x);
        run(n.body, { dot: x, vars }, top, out);
      }
    }
  }
}

/** Go's tabwriter as podman sets it up: minimum cell width 12, padding 2, spaces. */
export function tabwrite(lines: string[]): string[] {
  const rows = lines.map((l) => l.split('\t'));
  const widths: number[] = [];
  for (const r of rows) r.slice(0, -1).forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, Math.max(12, c.length + 2))));
  return rows.map((r) => r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]!) : c)).join(''));
}

/** A column's header as podman's report package makes it: VOLUME NAME for Name, words of the field name in capitals otherwise. */
function header(nodes: Node[], names: Record<string, string>): string {
  return nodes
    .map((n) => {
      if (n.k === 'text') return n.text;
      if (n.k === 'out' && n.pipe.cmds.length === 1 && n.pipe.cmds[0]!.length === 1) {
        const a = n.pipe.cmds[0]![0]!;
        if (a.k === 'field' && a.base === 'dot' && a.path.length) {
          const last = a.path.join('.');
          return names[last] ?? last.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/\./g, ' ').toUpperCase();
        }
      }
      return '';
    })
    .join('');
}

export interface Template {
  /** `table`: a header row, and columns aligned by tabwrite. */
  table: boolean;
  /** The header row of a table template, with podman's names for some columns. */
  header(names?: Record<string, string>): string;
  render(data: Value): string;
}

/** Go's "\t" and "\n" escapes, which podman users type inside shell quotes. */
const unescape = (s: string) => s.replace(/\\t/g, '\t').replace(/\\n/g, '\n');

/** Parses `src`; an invalid template is a TemplateError saying where and why. */
export function parseTemplate(src: string): Template {
  const table = /^\s*table(\s|$)/.test(src);
  const body = unescape(table ? src.replace(/^\s*table\s?/, '') : src);
  const nodes = parseNodes(split(body), body);
  return {
    table,
    header: (names = {}) => header(nodes, names),
    render(data) {
      markMaps(data);
      const out: string[] = [];
      run(nodes, { dot: data, vars: new Map([['$', data]]) }, data, out);
      return out.join('');
    },
  };
}
