// The page's Content-Security-Policy, the same wherever the page is served: by Electron's
// session (main/electron/window.ts) and by the browser host (main/host/server.ts).

/** The page's policy: its own scripts and styles only, calls to this host only. */
export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
