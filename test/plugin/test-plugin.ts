// A Docker volume plugin for the tests, written from the published protocol alone (it
// imports nothing from app/), so that the engine is tested against a second, independent
// implementation. It keeps its volumes in a JSON file under --root, so it can be stopped and
// started again, and logs every call it receives to --log for the tests to read.
//
//   node dist/test-plugin.mjs --listen unix:///path/x.sock|tcp://127.0.0.1:0 --root DIR
//        [--log FILE] [--fail CALL=MESSAGE]... [--hang CALL]... [--content-type TYPE] [--scope local|global]
//        [--lie-mountpoint PATH]   (a plugin that lies: answers PATH as every volume's Mountpoint)
//
// It prints one line, `listening ADDRESS`, once it accepts calls, and removes its socket on
// SIGTERM as a well-behaved plugin does.

import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    listen: { type: 'string' },
    root: { type: 'string' },
    log: { type: 'string' },
    fail: { type: 'string', multiple: true },
    hang: { type: 'string', multiple: true },
    'content-type': { type: 'string' },
    scope: { type: 'string' },
    'lie-mountpoint': { type: 'string' },
  },
});
if (!values.listen || !values.root) {
  process.stderr.write('usage: test-plugin --listen unix:///path.sock|tcp://host:port --root DIR [--log FILE] [--fail CALL=MSG] [--hang CALL]\n');
  process.exit(2);
}

const root = values.root;
const contentType = values['content-type'] ?? 'application/vnd.docker.plugins.v1+json';
const failures = new Map((values.fail ?? []).map((f) => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)]));
const hangs = new Set(values.hang ?? []);

interface Volume {
  opts: Record<string, string>;
  createdAt: string;
  /** The IDs that mounted it, as the protocol asks plugins to track. */
  mountedBy: string[];
}

/** A time as Go's time.Time.String() prints it, which is what Go plugins send as CreatedAt. */
const goTime = (iso: string) => `${iso.replace('T', ' ').replace(/\.(\d+)Z$/, (_, f: string) => `.${f.padEnd(9, '0')}`)} +0000 UTC`;

const stateFile = join(root, 'plugin-state.json');
mkdirSync(join(root, 'volumes'), { recursive: true });
const volumes: Record<string, Volume> = existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) : {};
const save = () => writeFileSync(stateFile, JSON.stringify(volumes));
const mountpointOf = (name: string) => values['lie-mountpoint'] ?? join(root, 'volumes', name);

type Body = Record<string, unknown>;
type Answer = Record<string, unknown>;

const handlers: Record<string, (b: Body) => Answer> = {
  'Plugin.Activate': () => ({ Implements: ['VolumeDriver'] }),
  'VolumeDriver.Capabilities': () => ({ Capabilities: { Scope: values.scope ?? 'local' } }),
  'VolumeDriver.Create': (b) => {
    const name = String(b.Name);
    if (!volumes[name]) volumes[name] = { opts: (b.Opts as Record<string, string>) ?? {}, createdAt: new Date().toISOString(), mountedBy: [] };
    mkdirSync(join(root, 'volumes', name), { recursive: true });
    save();
    return { Err: '' };
  },
  'VolumeDriver.Remove': (b) => {
    const v = volumes[String(b.Name)];
    if (!v) return { Err: `volume ${String(b.Name)} not found` };
    if (v.mountedBy.length) return { Err: `volume ${String(b.Name)} is in use by ${v.mountedBy.join(',')}` };
    delete volumes[String(b.Name)];
    rmSync(join(root, 'volumes', String(b.Name)), { recursive: true, force: true });
    save();
    return { Err: '' };
  },
  'VolumeDriver.Mount': (b) => {
    const v = volumes[String(b.Name)];
    if (!v) return { Err: `volume ${String(b.Name)} not found` };
    if (!v.mountedBy.includes(String(b.ID))) v.mountedBy.push(String(b.ID));
    save();
    return { Mountpoint: mountpointOf(String(b.Name)), Err: '' };
  },
  'VolumeDriver.Unmount': (b) => {
    const v = volumes[String(b.Name)];
    if (!v) return { Err: `volume ${String(b.Name)} not found` };
    if (!v.mountedBy.includes(String(b.ID))) return { Err: `volume ${String(b.Name)} is not mounted by ${String(b.ID)}` };
    v.mountedBy = v.mountedBy.filter((id) => id !== b.ID);
    save();
    return { Err: '' };
  },
  'VolumeDriver.Path': (b) => {
    const v = volumes[String(b.Name)];
    if (!v) return { Err: `volume ${String(b.Name)} not found` };
    return { Mountpoint: v.mountedBy.length ? mountpointOf(String(b.Name)) : '', Err: '' };
  },
  'VolumeDriver.Get': (b) => {
    const v = volumes[String(b.Name)];
    if (!v) return { Err: `volume ${String(b.Name)} not found` };
    const mounted = v.mountedBy.length > 0;
    return { Volume: { Name: b.Name, Mountpoint: mounted ? mountpointOf(String(b.Name)) : '', CreatedAt: goTime(v.createdAt), Status: { opts: v.opts, mounts: v.mountedBy.length } }, Err: '' };
  },
  'VolumeDriver.List': () => ({
    Volumes: Object.keys(volumes).map((Name) => ({ Name, Mountpoint: volumes[Name]!.mountedBy.length ? mountpointOf(Name) : '', CreatedAt: goTime(volumes[Name]!.createdAt) })),
    Err: '',
  }),
};

function answer(res: ServerResponse, status: number, body: Answer) {
  res.writeHead(status, { 'Content-Type': contentType });
  res.end(JSON.stringify(body));
}

function handle(req: IncomingMessage, res: ServerResponse, text: string) {
  const call = (req.url ?? '').replace(/^\//, '');
  let body: Body = {};
  try {
    body = text.trim() ? (JSON.parse(text) as Body) : {};
  } catch {
    return answer(res, 400, { Err: 'request body is not JSON' });
  }
  if (values.log) appendFileSync(values.log, `${JSON.stringify({ call, body })}\n`);
  if (hangs.has(call)) return; // never answers: the engine's timeout must end the call
  const fail = failures.get(call);
  if (fail !== undefined) return answer(res, 500, { Err: fail });
  const h = req.method === 'POST' ? handlers[call] : undefined;
  if (!h) {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    return res.end('404 page not found\n');
  }
  const out = h(body);
  answer(res, typeof out.Err === 'string' && out.Err !== '' ? 500 : 200, out);
}

const server = createServer((req, res) => {
  let text = '';
  req.setEncoding('utf8');
  req.on('data', (c: string) => (text += c));
  req.on('end', () => handle(req, res, text));
});

const listen = new URL(values.listen);
const socketPath = listen.protocol === 'unix:' ? decodeURIComponent(listen.pathname) : undefined;
const ready = () => {
  const a = server.address();
  const where = typeof a === 'string' ? `unix://${a}` : `tcp://${(a as AddressInfo).address}:${(a as AddressInfo).port}`;
  process.stdout.write(`listening ${where}\n`);
};
if (socketPath) {
  rmSync(socketPath, { force: true });
  server.listen(socketPath, ready);
} else server.listen(Number(listen.port || 0), listen.hostname, ready);

process.on('SIGTERM', () => {
  if (socketPath) rmSync(socketPath, { force: true });
  process.exit(0);
});
