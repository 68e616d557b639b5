// The browser host's gate, against the real server on loopback: what a process or a web page
// without the printed token, or naming another host, can reach (nothing), and that what does
// get through is checked by the contract before the engine sees it. Needs no root: nothing
// here mounts.

import { existsSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { VolumeEngine } from '../../app/volume/engine.js';
import { startHost, type RunningHost } from '../../main/host/server.js';
import { suiteStateDir, writeStore } from '../helpers/fixtures.js';

const RENDERER = resolve(import.meta.dirname, '../../dist/renderer');
const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuvwx';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request: fetch may not set Host, and a rebinding page's Host is the point here. */
function send(port: number, o: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Answer> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, method: o.method ?? 'POST', path: o.path, headers: { Host: `127.0.0.1:${port}`, ...o.headers } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.end(o.body);
  });
}

const call = (port: number, op: string, body: unknown, headers: Record<string, string> = { 'X-Volume-Manager-Token': TOKEN }) =>
  send(port, { path: `/api/${op}`, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('the browser host', () => {
  const ctx = suiteStateDir({ beforeAll, afterAll });
  let host: RunningHost;
  let engine: VolumeEngine;
  const opened: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(RENDERER, 'index.html'))) throw new Error(`${RENDERER} is missing: npm test builds it (npm run build)`);
    engine = new VolumeEngine({ stateDir: ctx.state, plugins: { socketDirs: [], specDirs: [], containersConfs: [] } });
    host = await startHost({ engine, rendererDir: RENDERER, port: 0, opener: async (path) => void opened.push(path), token: TOKEN });
  });
  afterAll(async () => host?.close());

  it('listens on loopback only and prints a one-time login address that holds no secret', async () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?ticket=[A-Za-z0-9_-]{32}$`));
    expect(host.url).not.toContain(TOKEN);
    const outside = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal);
    if (!outside) return console.warn('no non-loopback IPv4 address here: only the printed address is checked');
    const reached = await new Promise<string>((done) => {
      const socket = connect(host.port, outside.address, () => done('connected'));
      socket.on('error', (err: NodeJS.ErrnoException) => done(err.code ?? 'error'));
    });
    expect(reached).toBe('ECONNREFUSED');
  });

  it('serves the page with its Content-Security-Policy, and only the built files', async () => {
    const page = await send(host.port, { method: 'GET', path: '/' });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    for (const path of ['/../../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/index.html/..', '/package.json']) {
      expect((await send(host.port, { method: 'GET', path })).status, path).toBe(404);
    }
  });

  it('refuses calls without the token, or with another one, before reading them', async () => {
    const body = { name: 'no-token' };
    expect((await call(host.port, 'volume.create', body, {})).status).toBe(401);
    expect((await call(host.port, 'volume.create', body, { 'X-Volume-Manager-Token': `${TOKEN}x` })).status).toBe(401);
    expect((await call(host.port, 'volume.create', body, { 'X-Volume-Manager-Token': TOKEN.slice(0, -1) })).status).toBe(401);
    expect(await engine.list()).toEqual([]);
  });

  it('refuses another Host or Origin, as a page rebinding a DNS name to 127.0.0.1 would send', async () => {
    const withToken = { 'X-Volume-Manager-Token': TOKEN, 'Content-Type': 'application/json' };
    const body = JSON.stringify({ name: 'rebound' });
    const otherHost = await send(host.port, { path: '/api/volume.create', headers: { ...withToken, Host: `evil.example:${host.port}` }, body });
    const otherOrigin = await send(host.port, { path: '/api/volume.create', headers: { ...withToken, Origin: 'http://evil.example' }, body });
    const otherPage = await send(host.port, { method: 'GET', path: '/', headers: { Host: `evil.example:${host.port}` } });
    expect([otherHost.status, otherOrigin.status, otherPage.status]).toEqual([403, 403, 403]);
    expect(await engine.list()).toEqual([]);
  });

  it('answers unknown operations and other methods with an error, not the engine', async () => {
    expect((await call(host.port, 'volume.chmod', {})).status).toBe(404);
    expect((await call(host.port, '__proto__', {})).status).toBe(404);
    expect((await send(host.port, { method: 'PUT', path: '/api/volume.list', headers: { 'X-Volume-Manager-Token': TOKEN } })).status).toBe(405);
  });

  it('checks what a token holder sends with the contract, and changes nothing on bad input', async () => {
    const hostile = await call(host.port, 'volume.create', { name: '$(touch /tmp/vm-pwned)', driver: 'local' });
    expect(JSON.parse(hostile.body)).toMatchObject({ ok: false, error: { code: 'INVALID_NAME' } });
    const badOption = await call(host.port, 'volume.create', { name: 'opt', options: { type: 'tmpfs', o: 'size=1m;reboot' } });
    expect(JSON.parse(badOption.body)).toMatchObject({ ok: false });
    const notJson = await send(host.port, { path: '/api/volume.list', headers: { 'X-Volume-Manager-Token': TOKEN }, body: '{"filters":' });
    expect(JSON.parse(notJson.body)).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    const huge = await call(host.port, 'volume.create', { name: 'huge', labels: { big: 'x'.repeat(2 * 1024 * 1024) } }).catch((err: Error) => err);
    if (!(huge instanceof Error)) expect(JSON.parse(huge.body)).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await engine.list()).toEqual([]);
    expect(existsSync('/tmp/vm-pwned')).toBe(false);
    expect(readdirSync(ctx.state)).not.toContain('volumes.json');
  });

  it('serves the contract to the token holder', async () => {
    const created = await call(host.port, 'volume.create', { name: 'through-host', labels: { team: 'a' } });
    expect(JSON.parse(created.body)).toMatchObject({ ok: true, value: { Name: 'through-host' } });
    const answer = await call(host.port, 'volume.list', { filters: { label: ['team=a'] } });
    expect(JSON.parse(answer.body).value.map((v: { Name: string }) => v.Name)).toEqual(['through-host']);
    // The host's share of the round trip, for the browser's devtools and the benchmark.
    expect(answer.headers['server-timing']).toMatch(/^app;dur=\d+(\.\d)?$/);
  });

  it('opens the change socket only with the token, and tells it of a write by another process', async () => {
    const refused = await new Promise<number>((done) => {
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/events?token=wrong`);
      ws.on('unexpected-response', (_req, res) => done(res.statusCode ?? 0));
      ws.on('open', () => done(101));
      ws.on('error', () => undefined);
    });
    expect(refused).toBe(401);
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/events?token=${TOKEN}`);
    await new Promise((done, fail) => ws.once('open', done).once('error', fail));
    const told = new Promise<unknown>((done) => ws.once('message', (m) => done(JSON.parse(String(m)))));
    // Another engine over the same state directory stands for the command line.
    const other = new VolumeEngine({ stateDir: ctx.state, plugins: { socketDirs: [], specDirs: [], containersConfs: [] } });
    await other.create({ name: 'from-elsewhere' });
    expect(await told).toEqual({ what: 'state' });
    ws.close();
  });

  it('exchanges a login ticket once for an HttpOnly, SameSite=Strict cookie, and sends the browser to the bare page', async () => {
    const ticket = new URL(host.loginUrl()).searchParams.get('ticket')!;
    const first = await send(host.port, { method: 'GET', path: `/?ticket=${ticket}` });
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toBe(`vm-session-${host.port}=${TOKEN}; HttpOnly; SameSite=Strict; Path=/`);
    const again = await send(host.port, { method: 'GET', path: `/?ticket=${ticket}` });
    expect(again.status).toBe(303);
    expect(again.headers['set-cookie']).toBeUndefined();
    // The cookie opens calls that say where they come from; without an Origin (what a page on
    // another loopback port cannot hide from a POST), it opens nothing.
    const session = { Cookie: `vm-session-${host.port}=${TOKEN}`, 'Content-Type': 'application/json' };
    expect((await call(host.port, 'volume.list', {}, { ...session, Origin: `http://127.0.0.1:${host.port}` })).status).toBe(200);
    expect((await call(host.port, 'volume.list', {}, session)).status).toBe(401);
    expect((await call(host.port, 'volume.list', {}, { ...session, Origin: 'http://127.0.0.1:1' })).status).toBe(403);
    expect((await call(host.port, 'volume.list', {}, { Cookie: `vm-session-${host.port}=wrong`, Origin: `http://127.0.0.1:${host.port}` })).status).toBe(401);
    // Another host's cookie (a browser sends every port's to every port) opens nothing here.
    expect((await call(host.port, 'volume.list', {}, { Cookie: `vm-session-1=${TOKEN}`, Origin: `http://127.0.0.1:${host.port}` })).status).toBe(401);
  });

  it('lets a download in only with a single-use ticket for that volume and transfer', async () => {
    await engine.create({ name: 'downloadable' });
    const id = 'download-1';
    const ticketed = JSON.parse((await send(host.port, { path: '/host/download-ticket', headers: { 'X-Volume-Manager-Token': TOKEN, 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'downloadable', id }) })).body);
    const ticket = ticketed.value.Ticket as string;
    expect(ticket).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const get = (q: string) => send(host.port, { method: 'GET', path: `/transfer/export?${q}` });
    expect((await get(`name=downloadable&id=${id}&token=${TOKEN}`)).status).toBe(401);
    expect((await get(`name=other&id=${id}&ticket=${ticket}`)).status).toBe(401);
    const again = JSON.parse((await send(host.port, { path: '/host/download-ticket', headers: { 'X-Volume-Manager-Token': TOKEN, 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'downloadable', id }) })).body).value.Ticket as string;
    const ok = await get(`name=downloadable&id=${id}&ticket=${again}`);
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('application/x-tar');
    expect((await get(`name=downloadable&id=${id}&ticket=${again}`)).status).toBe(401);
  });

  it('opens a volume in the file manager by name only, and says why a plugin volume has no path yet', async () => {
    const open = (body: unknown) => send(host.port, { path: '/host/open', headers: { 'X-Volume-Manager-Token': TOKEN, 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then((a) => JSON.parse(a.body));
    await engine.create({ name: 'openable' });
    expect(await open({ name: 'openable' })).toEqual({ ok: true, value: null });
    expect(opened).toEqual([engine.mountpoint('openable')]);
    // A plugin volume that is not mounted (its plugin is not even running) has no path.
    await writeStore(engine.stateDir, (data) => {
      data.volumes.unmounted = { name: 'unmounted', driver: 'absent', options: {}, labels: {}, createdAt: new Date().toISOString(), mountCount: 0 };
    });
    expect(await open({ name: 'unmounted' })).toMatchObject({ ok: false, error: { code: 'VOLUME_NOT_MOUNTED' } });
    expect(await open({ name: 5 })).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await open({ name: '../etc' })).toMatchObject({ ok: false, error: { code: 'INVALID_NAME' } });
    expect(opened).toHaveLength(1);
  });
});
