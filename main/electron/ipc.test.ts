// The whole IPC binding of the main process, with a stand-in for Electron's ipcMain, shell
// and a window's webContents (the Electron binary cannot be had on these machines): every
// contract operation is bound, each one refuses a sender that is not the app's page, each
// runs the contract's parser before the engine, and changes reach the window. A real engine
// answers behind it.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_CHANGE, IPC_EXPORT, IPC_IMPORT, IPC_OPEN, ipcChannel } from '../../app/api/bridge.js';
import { operations } from '../../app/api/contract.js';
import { VolumeEngine } from '../../app/volume/engine.js';

type Handler = (event: unknown, request: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { code: string; happened: string } }>;
const handlers = new Map<string, Handler>();
const opened: string[] = [];

vi.mock('electron', () => ({
  ipcMain: { handle: (channel: string, fn: Handler) => handlers.set(channel, fn), removeHandler: (channel: string) => handlers.delete(channel) },
  shell: { openPath: async (path: string) => (opened.push(path), '') },
  dialog: { showSaveDialog: async () => ({ canceled: true }) },
  BrowserWindow: { fromWebContents: () => null },
}));

const { bindIpc } = await import('./ipc.js');

const PAGE = 'file:///opt/volume-manager/resources/app/dist/renderer/index.html';
const top = { url: PAGE };
const ours = { senderFrame: top, sender: { mainFrame: top } };
const framed = { senderFrame: { url: PAGE }, sender: { mainFrame: top } };

describe('the IPC binding (Electron stood in for)', () => {
  let dir: string;
  let engine: VolumeEngine;
  const sent: [string, unknown][] = [];
  let unbind: () => Promise<void>;
  const call = (channel: string, event: unknown, request: unknown) => handlers.get(channel)!(event, request);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vm-ipc-'));
    engine = new VolumeEngine({ stateDir: join(dir, 'state') });
    unbind = bindIpc(engine, PAGE, () => ({ send: (channel: string, e: unknown) => sent.push([channel, e]) }) as never);
  });
  afterAll(async () => {
    await unbind();
    engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('binds every operation of the contract, and the host channels, and nothing else', () => {
    expect([...handlers.keys()].sort()).toEqual([...operations.map(ipcChannel), IPC_OPEN, IPC_EXPORT, IPC_IMPORT].sort());
  });

  it('refuses every operation from a frame that is not the page itself, before parsing anything', async () => {
    for (const op of operations) {
      const r = await call(ipcChannel(op), framed, {});
      expect(r, op).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', happened: 'IPC call from a page that is not the app' } });
    }
  });

  it("runs each operation's parser: a malformed request is refused as the contract says, before the engine", async () => {
    for (const op of operations) {
      const r = await call(ipcChannel(op), ours, { unexpected: true });
      expect(r.ok, op).toBe(false);
      expect(r.error!.code, op).toBe('INVALID_REQUEST');
    }
  });

  it('answers a well-formed call from the page, and tells the window of a change', async () => {
    const created = await call(ipcChannel('volume.create'), ours, { name: 'from-ipc' });
    expect(created).toMatchObject({ ok: true, value: { Name: 'from-ipc' } });
    expect(await call(ipcChannel('volume.list'), ours, {})).toMatchObject({ ok: true, value: [{ Name: 'from-ipc' }] });
    writeFileSync(join(engine.mountpoint('from-ipc'), 'f'), 'x');
    expect(await call(ipcChannel('volume.contents'), ours, { names: ['from-ipc'] })).toMatchObject({ ok: true, value: [{ Name: 'from-ipc', Loses: 'files', Entries: 1, Bytes: 1 }] });
    expect(await call(IPC_OPEN, ours, 'from-ipc')).toEqual({ ok: true, value: null });
    expect(opened).toEqual([engine.mountpoint('from-ipc')]);
    await expect.poll(() => sent.some(([channel]) => channel === IPC_CHANGE), { timeout: 5000 }).toBe(true);
  });
});
