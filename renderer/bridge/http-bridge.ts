// The browser host's side of the bridge: the same VolumeManagerBridge as the preload's, over
// fetch and a WebSocket. The token arrives in the URL's fragment (never sent to a server or
// kept in history) and is then held in sessionStorage for reloads of this tab.

import type { BridgeCalls, ChangeEvent, VolumeManagerBridge } from '../../app/api/bridge.js';
import { operations, type Envelope } from '../../app/api/contract.js';
import { hostTokenRefused } from '../../app/errors/catalogue.js';

const TOKEN_KEY = 'volume-manager-token';

function takeToken(): string {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, '', location.pathname);
    return fromHash;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

async function post<T>(path: string, token: string, body: unknown): Promise<Envelope<T>> {
  const res = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Volume-Manager-Token': token }, body: JSON.stringify(body ?? {}) });
  if (res.status === 401) {
    return { ok: false, error: hostTokenRefused().toJSON() };
  }
  return (await res.json()) as Envelope<T>;
}

export function createHttpBridge(): VolumeManagerBridge {
  const token = takeToken();
  const calls = Object.fromEntries(operations.map((op) => [op, (request: unknown) => post(`/api/${op}`, token, request)])) as BridgeCalls;
  const listeners = new Set<(e: ChangeEvent) => void>();
  let socket: WebSocket | undefined;
  const connect = () => {
    socket = new WebSocket(`ws://${location.host}/events?token=${encodeURIComponent(token)}`);
    socket.onmessage = (m) => listeners.forEach((l) => l(JSON.parse(String(m.data)) as ChangeEvent));
    // The host restarted or the laptop slept: reconnect, and refresh since events were missed.
    socket.onclose = () => setTimeout(() => {
      if (listeners.size === 0) return;
      connect();
      listeners.forEach((l) => l({ what: 'state' }));
    }, 1000);
  };
  return {
    host: 'browser',
    calls,
    onChange(listener) {
      listeners.add(listener);
      if (!socket) connect();
      return () => listeners.delete(listener);
    },
    openMountpoint: (name) => post<null>('/host/open', token, { name }),
  };
}
