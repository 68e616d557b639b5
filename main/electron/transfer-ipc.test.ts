// Export and import over Electron's IPC, with a stand-in for Electron's ipcMain, dialog and
// BrowserWindow: the Electron binary cannot be had on these machines. What the stand-in
// cannot fake is left to the real parts: a real engine, a real volume, GNU tar, real files.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_EXPORT, IPC_IMPORT } from '../../app/api/bridge.js';
import type { TransferEvent } from '../../app/api/types.js';
import { Transfers } from '../../app/transfer/window-transfers.js';
import { VolumeEngine } from '../../app/volume/engine.js';

type Handler = (event: unknown, request: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>;
const handlers = new Map<string, Handler>();
const showSaveDialog = vi.fn();

vi.mock('electron', () => ({
  ipcMain: { handle: (channel: string, fn: Handler) => handlers.set(channel, fn), removeHandler: (channel: string) => handlers.delete(channel) },
  dialog: { showSaveDialog: (...args: unknown[]) => showSaveDialog(...args) },
  BrowserWindow: { fromWebContents: () => null },
}));

const { bindTransferIpc } = await import('./transfer-ipc.js');

const PAGE = 'file:///opt/volume-manager/resources/app/dist/renderer/index.html';
const top = { url: PAGE };
const ours = { senderFrame: top, sender: { mainFrame: top } };
const foreign = { senderFrame: { url: 'https://evil.example/' }, sender: { mainFrame: { url: 'https://evil.example/' } } };

describe('export and import over IPC (Electron stood in for)', () => {
  let dir: string;
  let engine: VolumeEngine;
  const events: TransferEvent[] = [];
  let unbind: () => void;
  const call = (channel: string, event: unknown, request: unknown) => handlers.get(channel)!(event, request);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vm-ipc-transfer-'));
    engine = new VolumeEngine({ stateDir: join(dir, 'state') });
    await engine.create({ name: 'notes' });
    await engine.create({ name: 'copy' });
    writeFileSync(join(engine.mountpoint('notes'), 'today.txt'), 'written before the export');
    unbind = bindTransferIpc(engine, new Transfers((e) => events.push(e)), PAGE);
  });
  afterAll(() => {
    unbind();
    engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers only its own page, and checks the request before any dialog', async () => {
    expect((await call(IPC_EXPORT, foreign, { name: 'notes', id: 'abcdefgh' })).error?.code).toBe('INVALID_REQUEST');
    expect((await call(IPC_EXPORT, ours, { name: 'notes', id: 'short' })).error?.code).toBe('INVALID_REQUEST');
    expect((await call(IPC_EXPORT, ours, { name: 'notes', id: 'abcdefgh', path: '/etc/passwd' })).error?.code).toBe('INVALID_REQUEST');
    expect(showSaveDialog).not.toHaveBeenCalled();
  });

  it('exports to the file the native save dialog gave, which asked before replacing one', async () => {
    showSaveDialog.mockResolvedValueOnce({ canceled: true });
    expect(await call(IPC_EXPORT, ours, { name: 'notes', id: 'closed-dialog' })).toEqual({ ok: true, value: null });
    const file = join(dir, 'notes.tar');
    writeFileSync(file, 'an older export');
    showSaveDialog.mockResolvedValueOnce({ canceled: false, filePath: file });
    const r = await call(IPC_EXPORT, ours, { name: 'notes', id: 'export-0001' });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(showSaveDialog.mock.calls.at(-1)![0]).toMatchObject({ defaultPath: 'notes.tar', properties: expect.arrayContaining(['showOverwriteConfirmation']) });
    // Named as podman's export names entries: no ./ before them.
    expect(spawnSync('tar', ['-xOf', file, 'today.txt'], { encoding: 'utf8' }).stdout).toBe('written before the export');
    expect(events.filter((e) => e.Id === 'export-0001').map((e) => e.State).at(-1)).toBe('done');
  });

  it('imports the file the page picked, by an absolute path only', async () => {
    expect((await call(IPC_IMPORT, ours, { name: 'copy', id: 'import-0001', replace: false, path: 'notes.tar' })).error?.code).toBe('INVALID_REQUEST');
    const r = await call(IPC_IMPORT, ours, { name: 'copy', id: 'import-0002', replace: false, path: join(dir, 'notes.tar') });
    expect(r).toMatchObject({ ok: true, value: { Replaced: false } });
    expect(readFileSync(join(engine.mountpoint('copy'), 'today.txt'), 'utf8')).toBe('written before the export');
    expect(events.filter((e) => e.Id === 'import-0002').map((e) => e.State)).toEqual(expect.arrayContaining(['running', 'done']));
  });
});
