// Where a plugin listens: a Unix socket, or a TCP address (optionally TLS) from a spec file.
// Parsed once at discovery so that the transport never sees a free-form string.

export interface TlsFiles {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  insecureSkipVerify?: boolean;
}

export type PluginAddress =
  | { kind: 'unix'; path: string }
  | { kind: 'tcp'; host: string; port: number; tls?: TlsFiles };

/** Parses `unix:///path`, a bare absolute path, or `tcp://host:port` (also `http://`). */
export function parseAddress(text: string, tls?: TlsFiles): PluginAddress {
  const trimmed = text.trim();
  if (trimmed.startsWith('/')) return { kind: 'unix', path: trimmed };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new Error(`${JSON.stringify(trimmed)} is not a plugin address (expected unix:///path/to.sock or tcp://host:port)`);
  }
  if (url.protocol === 'unix:') {
    if (!url.pathname.startsWith('/')) throw new Error(`${JSON.stringify(trimmed)}: a unix address needs an absolute path`);
    return { kind: 'unix', path: decodeURIComponent(url.pathname) };
  }
  if (url.protocol === 'tcp:' || url.protocol === 'http:' || url.protocol === 'https:') {
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (!host || !Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${JSON.stringify(trimmed)}: expected tcp://host:port`);
    const wantsTls = url.protocol === 'https:' || (tls !== undefined && (tls.caFile || tls.certFile || tls.insecureSkipVerify));
    return { kind: 'tcp', host, port, ...(wantsTls ? { tls: tls ?? {} } : {}) };
  }
  throw new Error(`${JSON.stringify(trimmed)}: unsupported scheme ${url.protocol} (expected unix or tcp)`);
}

export function formatAddress(a: PluginAddress): string {
  if (a.kind === 'unix') return `unix://${a.path}`;
  return `${a.tls ? 'https' : 'tcp'}://${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
}
