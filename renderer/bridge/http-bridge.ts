// The browser host's side of the bridge: the same VolumeManagerBridge as the preload's, over
// fetch and a WebSocket. The page never holds the host's secret: the host gave the browser an
// HttpOnly cookie for the one-time address it printed (main/host/session.ts), which every
// call, upload and change socket carries; a download carries a single-use ticket.

import { DOWNLOAD_TICKET_ROUTE, EXPORT_ROUTE, IMPORT_ROUTE, type BridgeCalls, type ChangeEvent, type HostMessage, type VolumeManagerBridge } from '../../app/api/bridge.js';
import type { ExportOutcome, ImportOutcome, TransferEvent } from '../../app/api/types.js';
import { operations, type Envelope } from '../../app/api/contract.js';
import { hostTokenRefused } from '../../app/errors/page-errors.js';

async function post<T>(path: string, body: unknown): Promise<Envelope<T>> {
  const res = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body ?? {}) });
  if (res.status === 401) {
    return { ok: false, error: hostTokenRefused().toJSON() };
  }
  return (await res.json()) as Envelope<T>;
}

export function createHttpBridge(): VolumeManagerBridge {
  // An address that still shows a login ticket (the host redirects it away) keeps none in history.
  if (location.search) history.replaceState(null, '', location.pathname);
  const calls = Object.fromEntries(operations.map((op) => [op, (request: unknown, machine?: string) => post(`/api/${op}${machine ? `?machine=${encodeURIComponent(machine)}` : ''}`, request)])) as BridgeCalls;
  const listeners = new Set<(e: ChangeEvent) => void>();
  const transferListeners = new Set<(e: TransferEvent) => void>();
  let socket: WebSocket | undefined;
  const connect = () => {
    socket = new WebSocket(`ws://${location.host}/events`);
    socket.onmessage = (m) => {
      const message = JSON.parse(String(m.data)) as HostMessage;
      if (message.what === 'transfer') transferListeners.forEach((l) => l(message.transfer));
      else listeners.forEach((l) => l(message));
    };
    // The host restarted or the laptop slept: reconnect, and refresh since events were missed.
    socket.onclose = () => setTimeout(() => {
      if (listeners.size === 0 && transferListeners.size === 0) return;
      connect();
      listeners.forEach((l) => l({ what: 'state' }));
    }, 1000);
  };
  const onTransfer = (listener: (e: TransferEvent) => void) => {
    transferListeners.add(listener);
    if (!socket) connect();
    return () => void transferListeners.delete(listener);
  };
  return {
    host: 'browser',
    calls,
    onChange(listener) {
      listeners.add(listener);
      if (!socket) connect();
      return () => listeners.delete(listener);
    },
    openMountpoint: (name) => post<null>('/host/open', { name }),
    onTransfer,
    // The browser saves the download itself; how it ends is told by the host's events.
    async exportVolume({ name, id }, machine) {
      const ticket = await post<{ Ticket: string }>(DOWNLOAD_TICKET_ROUTE, { name, id });
      if (!ticket.ok) return ticket;
      return new Promise((resolve) => {
        const off = onTransfer((e) => {
          if (e.Id !== id || e.State === 'running') return;
          off();
          resolve(e.State === 'done' ? { ok: true, value: { Bytes: e.Progress.Bytes } satisfies ExportOutcome } : { ok: false, error: e.Error! });
        });
        const link = document.createElement('a');
        link.href = `${EXPORT_ROUTE}?${new URLSearchParams({ name, id, ticket: ticket.value.Ticket, ...(machine ? { machine } : {}) })}`;
        link.download = `${name}.tar`;
        link.click();
      });
    },
    async importVolume({ name, id, replace }, file, machine) {
      const res = await fetch(`${IMPORT_ROUTE}?${new URLSearchParams({ name, id, replace: replace ? '1' : '0', file: file.name, ...(machine ? { machine } : {}) })}`, { method: 'PUT', headers: { 'Content-Type': 'application/x-tar' }, body: file });
      if (res.status === 401) return { ok: false, error: hostTokenRefused().toJSON() };
      return (await res.json()) as Envelope<ImportOutcome>;
    },
  };
}
