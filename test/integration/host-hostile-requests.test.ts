// The browser host against requests no browser of ours sends but any program, or any page in
// any tab, can: malformed request targets and upgrades, with and without the token, from raw
// sockets and from a page in Chromium. The host runs as its own process (dist/host.mjs), so a
// throw that ends it shows as an exit; after every attack it must still answer the real page.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_FLAGS, hostUrl } from '../helpers/browser-host.js';
import { describeIf } from '../helpers/env.js';
import { suiteStateDir } from '../helpers/fixtures.js';

const HOST = resolve(import.meta.dirname, '../../dist/host.mjs');

/** Writes `raw` on a fresh connection and returns the status line of the answer ('' if none). */
function rawRequest(port: number, raw: string): Promise<string> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(raw));
    let got = '';
    socket.setTimeout(5000, () => socket.destroy());
    socket.on('data', (d) => {
      got += d;
      if (got.includes('\r\n')) socket.destroy();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => done(got.split('\r\n')[0] ?? ''));
  });
}

const TARGETS = ['//', 'http://[', '//events?token=x', 'http://127.0.0.1/events', '/events?token=%zz%', '/%zz', `/${'a'.repeat(10_000)}`, '*', '/events?token=a&token=b'];

describeIf(existsSync(CHROMIUM), `Debian's chromium at ${CHROMIUM} (test/setup/provision.sh)`)('the browser host under hostile requests', () => {
  const ctx = suiteStateDir({ beforeAll, afterAll });
  let child: ChildProcess;
  let url: URL;
  let token: string;
  const alive = () => child.exitCode === null && child.signalCode === null;
  /** The call the real page makes, with the token. */
  const answersThePage = async () => {
    const r = await fetch(new URL('/api/volume.list', url), { method: 'POST', headers: { 'X-Volume-Manager-Token': token, 'Content-Type': 'application/json' }, body: '{}' });
    return r.status === 200 && ((await r.json()) as { ok?: unknown }).ok === true;
  };

  beforeAll(async () => {
    if (!existsSync(HOST)) throw new Error(`${HOST} is missing: npm test builds it`);
    token = 'hostile-test-token-0123456789abcdefghijklmnop';
    child = spawn(process.execPath, [HOST, '--port', '0', '--state-dir', ctx.state], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VOLUME_MANAGER_HOST_TOKEN: token } });
    url = new URL(await hostUrl(child));
  });
  afterAll(() => {
    child?.kill('SIGTERM');
  });

  it('answers malformed request targets, plain and as upgrades, with and without the token', async () => {
    const port = Number(url.port);
    const hostHeader = `Host: 127.0.0.1:${port}\r\n`;
    const upgrade = 'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';
    for (const target of TARGETS) {
      for (const withToken of [false, true]) {
        const t = withToken ? `${target}${target.includes('?') ? '&' : '?'}token=${token}` : target;
        for (const [method, extra] of [['GET', upgrade], ['GET', ''], ['POST', `X-Volume-Manager-Token: ${token}\r\nContent-Length: 2\r\n`]] as const) {
          const status = await rawRequest(port, `${method} ${t} HTTP/1.1\r\n${hostHeader}${extra}\r\n${method === 'POST' ? '{}' : ''}`);
          expect(alive(), `${method} ${t.slice(0, 60)} ended the host`).toBe(true);
          expect(status, `${method} ${t.slice(0, 60)}`).toMatch(/^HTTP\/1\.1 (400|401|403|404|414|431)/);
        }
      }
    }
    // An upgrade with no key, and one with garbage where the version goes.
    expect(await rawRequest(port, `GET /events?token=${token} HTTP/1.1\r\n${hostHeader}Upgrade: websocket\r\nConnection: Upgrade\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400/);
    expect(await rawRequest(port, `GET /events?token=${token} HTTP/1.1\r\n${hostHeader}Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: x\r\nSec-WebSocket-Key: !\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400/);
    expect(alive()).toBe(true);
    expect(await answersThePage()).toBe(true);
  });

  it('survives what a page in another tab sends it, and still serves the real page', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
    try {
      const page = await browser.newPage();
      await page.goto('about:blank');
      const base = `127.0.0.1:${url.port}`;
      const outcomes = await page.evaluate(async (b) => {
        const socket = (path: string) =>
          new Promise<string>((done) => {
            const ws = new WebSocket(`ws://${b}${path}`);
            ws.onopen = () => done('open');
            ws.onerror = () => done('refused');
            setTimeout(() => done('timeout'), 3000);
          });
        const results = [];
        for (const path of ['//', '//events', '/%zz', '/events?token=%zz%', `/${'a'.repeat(10_000)}`]) results.push(await socket(path));
        for (const path of ['//', '/%zz', '/api/volume.list']) {
          results.push(await fetch(`http://${b}${path}`, { method: 'POST', mode: 'no-cors', body: '{}' }).then(() => 'answered', () => 'failed'));
        }
        return results;
      }, base);
      expect(outcomes.slice(0, 5)).toEqual(['refused', 'refused', 'refused', 'refused', 'refused']);
      expect(alive()).toBe(true);

      const app = await browser.newPage();
      await app.goto(url.href);
      // The page lists with the cookie its one-time address bought: the host answers it as before.
      await app.getByText(/^No volumes yet\./).waitFor({ timeout: 15_000 });
      expect(await answersThePage()).toBe(true);
    } finally {
      await browser.close();
    }
  });

  it('closes an events socket that sends an oversized or malformed frame, and only that socket', async () => {
    const port = Number(url.port);
    // Frames as a client writes them: FIN + opcode, then a masked payload length.
    const frame = (first: number, payload: Buffer, masked = true) => {
      const len = payload.length;
      const head = len < 126 ? Buffer.from([first, (masked ? 0x80 : 0) | len]) : Buffer.from([first, (masked ? 0x80 : 0) | 126, len >> 8, len & 0xff]);
      if (!masked) return Buffer.concat([head, payload]);
      const mask = Buffer.from([1, 2, 3, 4]);
      return Buffer.concat([head, mask, Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!))]);
    };
    const attacks: [string, Buffer][] = [
      ['oversized text', frame(0x81, Buffer.alloc(4096, 0x61))],
      ['bad UTF-8', frame(0x81, Buffer.from([0xc3, 0x28]))],
      ['an RSV bit', frame(0xc1, Buffer.from('hi'))],
      ['unmasked', frame(0x81, Buffer.from('hi'), false)],
      ['a bad close code', frame(0x88, Buffer.from([0x03, 0xe7]))],
      ['an unknown opcode', frame(0x83, Buffer.from('hi'))],
    ];
    for (const [what, bytes] of attacks) {
      const closed = await new Promise<boolean>((done) => {
        const socket = connect(port, '127.0.0.1', () =>
          socket.write(`GET /events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Volume-Manager-Token: ${token}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`),
        );
        let upgraded = false;
        socket.on('data', (d) => {
          if (!upgraded && String(d).startsWith('HTTP/1.1 101')) {
            upgraded = true;
            socket.write(bytes);
          }
        });
        socket.on('error', () => undefined);
        socket.on('close', () => done(upgraded));
        socket.setTimeout(5000, () => done(false));
      });
      expect(closed, what).toBe(true);
      expect(alive(), `${what} ended the host`).toBe(true);
    }
    expect(await answersThePage()).toBe(true);
  });

  it('ends an import whose upload is cut off mid-way, so the next import of that volume goes through', async () => {
    const api = (op: string, body: unknown) => fetch(new URL(`/api/${op}`, url), { method: 'POST', headers: { 'X-Volume-Manager-Token': token, 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());
    expect(await api('volume.create', { name: 'cut-off' })).toMatchObject({ ok: true });
    const port = Number(url.port);
    const tarHead = Buffer.alloc(512);
    tarHead.write('file', 0);
    await new Promise<void>((done) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(`PUT /transfer/import?name=cut-off&id=cut-off-1&replace=0 HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Volume-Manager-Token: ${token}\r\nContent-Type: application/x-tar\r\nContent-Length: 1048576\r\n\r\n`);
        socket.write(tarHead);
        setTimeout(() => socket.destroy(), 500);
      });
      socket.on('error', () => undefined);
      socket.on('close', () => done());
    });
    const whole = Buffer.concat([Buffer.alloc(1024)]);
    let answer: { ok?: boolean; error?: { code?: string } } = {};
    for (let i = 0; i < 50; i++) {
      const r = await fetch(new URL('/transfer/import?name=cut-off&id=cut-off-2&replace=0', url), { method: 'PUT', headers: { 'X-Volume-Manager-Token': token, 'Content-Type': 'application/x-tar' }, body: whole });
      answer = (await r.json()) as typeof answer;
      if (answer.error?.code !== 'VOLUME_BUSY') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(answer).toMatchObject({ ok: true });
    expect(readdirSync(join(ctx.state, 'volumes', 'cut-off', '_data'))).toEqual([]);
  });

  it('says in one line that its port is taken, with podman\'s exit code 125', () => {
    const r = spawnSync(process.execPath, [HOST, '--port', url.port, '--state-dir', ctx.state], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(125);
    expect(r.stderr.trim().split('\n')).toEqual([`volume-manager-host: port ${url.port} on 127.0.0.1 is in use by another program; choose another with --port, or --port 0 for a free one`]);
  });

  it('outlives 600 idle connections under a limit of 256 descriptors, and answers afterwards', async () => {
    const limited = spawn('prlimit', ['--nofile=256:256', process.execPath, HOST, '--port', '0', '--state-dir', ctx.state], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VOLUME_MANAGER_HOST_TOKEN: token } });
    try {
      const at = new URL(await hostUrl(limited));
      const flood = await Promise.all(
        Array.from({ length: 600 }, () => new Promise<ReturnType<typeof connect>>((done) => {
          const s = connect(Number(at.port), '127.0.0.1', () => done(s));
          s.on('error', () => done(s));
        })),
      );
      // Every poll of the mount table and every watcher event meanwhile must not end it.
      await new Promise((r) => setTimeout(r, 2500));
      expect(limited.exitCode).toBeNull();
      for (const s of flood) s.destroy();
      let answered = false;
      for (let i = 0; i < 50 && !answered; i++) {
        answered = await fetch(new URL('/api/volume.list', at), { method: 'POST', headers: { 'X-Volume-Manager-Token': token, 'Content-Type': 'application/json' }, body: '{}' })
          .then((r) => r.status === 200)
          .catch(() => false);
        if (!answered) await new Promise((r) => setTimeout(r, 200));
      }
      expect(answered).toBe(true);
      expect(limited.exitCode).toBeNull();
    } finally {
      limited.kill('SIGTERM');
    }
  });

  it.runIf(spawnSync('id', ['vmtest']).status === 0)('closes another user\'s connections before reading them', () => {
    const r = spawnSync('runuser', ['-u', 'vmtest', '--', process.execPath, '-e', `fetch(${JSON.stringify(new URL('/', url).href)}).then((r) => console.log('answered', r.status), (e) => console.log('closed', e.cause?.code ?? e.message))`], { encoding: 'utf8', timeout: 20_000 });
    expect(r.stdout.trim()).toMatch(/^closed /);
    expect(alive()).toBe(true);
  });

  it('starts on a store that is not JSON, says in one line that it was set aside, and lists the empty store', async () => {
    const state = join(ctx.state, 'corrupt');
    mkdirSync(state);
    writeFileSync(join(state, 'volumes.json'), '{"version": 1, "volumes": {');
    const broken = spawn(process.execPath, [HOST, '--port', '0', '--state-dir', state], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VOLUME_MANAGER_HOST_TOKEN: token } });
    let err = '';
    broken.stderr!.on('data', (d) => (err += d));
    try {
      const at = new URL(await hostUrl(broken));
      const r = await fetch(new URL('/api/volume.changes', at), { method: 'POST', headers: { 'X-Volume-Manager-Token': token, 'Content-Type': 'application/json' }, body: '{}' });
      expect(await r.json()).toMatchObject({ ok: true, value: { Full: true, Volumes: [] } });
      // Written before that answer, but on another pipe: it may be read a moment later.
      for (let i = 0; i < 100 && !err.includes('\n'); i++) await new Promise((done) => setTimeout(done, 20));
      expect(err.trim().split('\n')).toEqual([expect.stringMatching(/^volume-manager-host: The state file was unreadable and has been set aside: .*volumes\.json: /)]);
      expect(readdirSync(state).filter((f) => f.startsWith('volumes.json.corrupt-'))).toHaveLength(1);
      expect(broken.exitCode).toBeNull();
    } finally {
      broken.kill('SIGTERM');
    }
  });

  it('prints its usage for --help instead of a stack trace', () => {
    return new Promise<void>((done) => {
      const help = spawn(process.execPath, [HOST, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      help.stdout.on('data', (d) => (out += d));
      help.stderr.on('data', (d) => (err += d));
      help.on('close', (code) => {
        expect(code).toBe(0);
        expect(out).toMatch(/^Usage: volume-manager-host/);
        expect(err).toBe('');
        done();
      });
    });
  });
});
