// The browser host against requests no browser of ours sends but any program, or any page in
// any tab, can: malformed request targets and upgrades, with and without the token, from raw
// sockets and from a page in Chromium. The host runs as its own process (dist/host.mjs), so a
// throw that ends it shows as an exit; after every attack it must still answer the real page.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { resolve } from 'node:path';
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
    child = spawn(process.execPath, [HOST, '--port', '0', '--state-dir', ctx.state], { stdio: ['ignore', 'pipe', 'pipe'] });
    url = new URL(await hostUrl(child));
    token = url.hash.replace('#token=', '');
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
      // The page lists with the token from its address: the host answers it as before.
      await app.getByText('No volumes yet. Create one to begin.').waitFor({ timeout: 15_000 });
      expect(await answersThePage()).toBe(true);
    } finally {
      await browser.close();
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
