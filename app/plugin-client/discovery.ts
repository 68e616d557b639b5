// Finds plugins where Docker and podman look for them. Docker's order decides between two
// places that name the same plugin: sockets first, then spec files, then containers.conf.
// Nothing is cached: plugins come and go while the app runs, and a scan is a few readdirs.

import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SELF_PLUGIN } from './protocol.js';
import { NAME_PATTERN } from '../api/option-shapes.js';
import { parseAddress, type PluginAddress } from './address.js';
import { readContainersConfs } from './containers-conf.js';
import type { PluginLocations } from './locations.js';

export interface PluginEntry {
  name: string;
  /** The socket, spec or config file it was found through. */
  source: string;
  address?: PluginAddress;
  /** Why the entry is unusable (an unreadable spec file, a bad address). */
  error?: string;
}

export interface Discovery {
  entries: PluginEntry[];
  /** Files that could not be read as configuration; shown, never fatal. */
  problems: { file: string; error: string }[];
  timeoutSec?: number;
}

const isSocket = (path: string) => {
  try {
    return statSync(path).isSocket();
  } catch {
    return false;
  }
};

/** Sorted, so that lists are stable whatever order the file system returns. */
function listDir(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return [];
  }
}

function socketEntries(dir: string): PluginEntry[] {
  const out: PluginEntry[] = [];
  for (const e of listDir(dir)) {
    const path = e.isDirectory() ? join(dir, e.name, `${e.name}.sock`) : join(dir, e.name);
    const name = e.isDirectory() ? e.name : e.name.endsWith('.sock') ? e.name.slice(0, -'.sock'.length) : '';
    if (name && isSocket(path)) out.push({ name, source: path, address: { kind: 'unix', path } });
  }
  return out;
}

interface SpecJson {
  Name?: unknown;
  Addr?: unknown;
  TLSConfig?: { InsecureSkipVerify?: unknown; CAFile?: unknown; CertFile?: unknown; KeyFile?: unknown };
}

const optString = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

function readSpec(path: string): PluginEntry {
  const name = basename(path).replace(/\.(spec|json)$/, '');
  try {
    const text = readFileSync(path, 'utf8');
    if (path.endsWith('.spec')) return { name, source: path, address: parseAddress(text) };
    const spec = JSON.parse(text) as SpecJson;
    if (typeof spec.Addr !== 'string') throw new Error('"Addr" is missing');
    const t = spec.TLSConfig;
    const tls = t && { insecureSkipVerify: t.InsecureSkipVerify === true, caFile: optString(t.CAFile), certFile: optString(t.CertFile), keyFile: optString(t.KeyFile) };
    return { name, source: path, address: parseAddress(spec.Addr, tls) };
  } catch (err) {
    return { name, source: path, error: `${path}: ${(err as Error).message}` };
  }
}

function specEntries(dir: string): PluginEntry[] {
  return listDir(dir)
    .filter((e) => !e.isDirectory() && /\.(spec|json)$/.test(e.name))
    .map((e) => readSpec(join(dir, e.name)));
}

/**
 * Why root must not use `path`, or null: it and every directory above it (as named, and as it
 * resolves) must be root's, and no one else may write in those directories, except where the
 * sticky bit keeps others off root's entries. Docker's rule for /run/docker/plugins: whoever
 * can put a socket or a spec there is the plugin a root engine trusts.
 */
export function notRootOnly(path: string): string | null {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return `${path} cannot be resolved`;
  }
  for (const p of new Set([path, real])) {
    for (let at = p, first = true; ; at = dirname(at), first = false) {
      const st = lstatSync(at, { throwIfNoEntry: false });
      if (!st) return `${at} is missing`;
      if (st.uid !== 0) return `${at} belongs to uid ${st.uid}, not root`;
      if (!first && st.isDirectory() && st.mode & 0o022 && !(st.mode & 0o1000)) return `${at} (mode ${(st.mode & 0o7777).toString(8)}) lets others than root put files in it`;
      if (at === '/') break;
    }
  }
  return null;
}

/** Root uses only root's plugins: for every other entry, the reason it is refused. */
function onlyRoots(e: PluginEntry): PluginEntry {
  const paths = [e.source, ...(e.address?.kind === 'unix' ? [e.address.path] : [])];
  for (const p of paths) {
    const why = notRootOnly(p);
    if (why) return { name: e.name, source: e.source, error: `refused: as root, only plugins whose sockets and specs root owns in root-only directories are used; ${why}` };
  }
  return e;
}

/** `asRoot`: keep only root's plugins (notRootOnly); the others are listed, refused. */
export async function discover(l: PluginLocations, asRoot = process.geteuid?.() === 0): Promise<Discovery> {
  const conf = await readContainersConfs(l.containersConfs);
  const fromConf: PluginEntry[] = [...conf.plugins].map(([name, { path, file }]) => {
    try {
      return { name, source: file, address: parseAddress(path) };
    } catch (err) {
      return { name, source: file, error: `${file}: ${(err as Error).message}` };
    }
  });
  const all = [...l.socketDirs.flatMap(socketEntries), ...l.specDirs.flatMap(specEntries), ...fromConf];
  const seen = new Set<string>();
  const entries: PluginEntry[] = [];
  const problems = [...conf.problems];
  for (const e of all) {
    if (!NAME_PATTERN.test(e.name) || e.name === 'local') {
      problems.push({ file: e.source, error: `plugin name ${JSON.stringify(e.name)} is not a valid driver name${e.name === 'local' ? ' (local is the built-in driver)' : ''}` });
      continue;
    }
    if (seen.has(e.name) || e.name === SELF_PLUGIN) continue;
    seen.add(e.name);
    entries.push(asRoot ? onlyRoots(e) : e);
  }
  return { entries, problems, ...(conf.timeoutSec !== undefined ? { timeoutSec: conf.timeoutSec } : {}) };
}

