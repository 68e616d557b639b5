// The one window, hardened as Electron's security checklist asks: isolated, sandboxed, no
// Node in the page, a strict CSP on every response, no navigation and no new windows.

import { BrowserWindow, nativeTheme, session, shell } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CSP } from '../shared/csp.js';
import { isAllowedExternal } from './external-links.js';

export function createWindow(dir: string): BrowserWindow {
  session.defaultSession.webRequest.onHeadersReceived((details, done) => {
    done({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, permission, allow) => allow(permission === 'clipboard-sanitized-write'));
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'Volume Manager',
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#18181b' : '#f7f7f8',
    webPreferences: {
      preload: join(dir, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  const page = pathToFileURL(join(dir, 'renderer', 'index.html')).href;
  win.webContents.on('will-navigate', (event, url) => {
    if (url !== page) event.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    // Links to documentation open in the browser; the app never opens a second window.
    if (isAllowedExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void win.loadURL(page);
  return win;
}

/** The page this app loads; IPC answers only frames showing it. */
export const pageUrl = (dir: string) => pathToFileURL(join(dir, 'renderer', 'index.html')).href;
