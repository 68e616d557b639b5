// Each create form's fields turned into the engine's create request (podman's options).
// The engine validates the result; the form only assembles it.

import type { CreateRequest } from '../../app/api/contract.js';

export type VolumeType = 'tmpfs' | 'nfs' | 'bind' | 'device' | 'ssh' | 'plugin' | 'directory';

export interface FormFields {
  name: string;
  type: VolumeType;
  size: string;
  mode: string;
  uid: string;
  gid: string;
  server: string;
  exportPath: string;
  nfsVersion: string;
  readOnly: boolean;
  extraOptions: string;
  source: string;
  fsType: string;
  driver: string;
  /** Plugin options, one key=value per line. */
  pluginOptions: string;
  /** Labels, one key=value per line, as --label takes them. */
  labels: string;
  sshHost: string;
  sshUser: string;
  sshPort: string;
  sshPath: string;
  /** A private key file; empty: ssh-agent or the user's default keys. */
  sshKey: string;
  mountAtLogin: boolean;
}

export const emptyFields = (): FormFields => ({
  name: '',
  type: 'tmpfs',
  size: '',
  mode: '',
  uid: '',
  gid: '',
  server: '',
  exportPath: '',
  nfsVersion: '4.2',
  readOnly: false,
  extraOptions: '',
  source: '',
  fsType: '',
  driver: '',
  pluginOptions: '',
  labels: '',
  sshHost: '',
  sshUser: '',
  sshPort: '',
  sshPath: '',
  sshKey: '',
  mountAtLogin: false,
});

/** An SSH volume's options (type=sshfs, device=[USER@]HOST:/PATH, o=port,IdentityFile), from the form; also what the remote folder list asks with. */
export function sshOptions(f: FormFields, path = f.sshPath.trim()): Record<string, string> {
  const user = f.sshUser.trim();
  const options: Record<string, string> = { type: 'sshfs', device: `${user ? `${user}@` : ''}${f.sshHost.trim()}:${path}` };
  set(options, 'o', joinOpts(f.sshPort.trim() && `port=${f.sshPort.trim()}`, f.sshKey.trim() && `IdentityFile=${f.sshKey.trim()}`, f.readOnly && 'ro', f.extraOptions.trim()));
  return options;
}

const joinOpts = (...parts: (string | false | undefined)[]) => parts.filter(Boolean).join(',');

function set(opts: Record<string, string>, key: string, value: string) {
  if (value.trim() !== '') opts[key] = value.trim();
}

/** The lines pairsOf reads back to `pairs`. */
export const linesOf = (pairs: Record<string, string>) =>
  Object.entries(pairs)
    .map(([k, v]) => (v === '' ? k : `${k}=${v}`))
    .join('\n');

export function toCreateRequest(f: FormFields): CreateRequest {
  const request = createRequestOf(f);
  const labels = pairsOf(f.labels);
  return { ...request, ...(Object.keys(labels).length ? { labels } : {}), ...(f.mountAtLogin ? { mountAt: 'login' as const } : {}) };
}

/** Lines of key=value (a key alone has an empty value); blank lines are skipped. */
export function pairsOf(text: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t) continue;
    const eq = t.indexOf('=');
    pairs[(eq < 0 ? t : t.slice(0, eq)).trim()] = eq < 0 ? '' : t.slice(eq + 1).trim();
  }
  return pairs;
}

function createRequestOf(f: FormFields): CreateRequest {
  const options: Record<string, string> = {};
  const extra = f.extraOptions.trim();
  switch (f.type) {
    case 'tmpfs':
      options.type = 'tmpfs';
      set(options, 'size', f.size);
      set(options, 'uid', f.uid);
      set(options, 'gid', f.gid);
      set(options, 'o', joinOpts(f.mode.trim() && `mode=${f.mode.trim()}`, extra));
      break;
    case 'nfs':
      options.type = 'nfs';
      options.device = `${f.server.trim()}:${f.exportPath.trim()}`;
      options.o = joinOpts(`addr=${f.server.trim()}`, f.nfsVersion && `nfsvers=${f.nfsVersion}`, f.readOnly && 'ro', extra);
      break;
    case 'bind':
      options.type = 'bind';
      options.device = f.source.trim();
      set(options, 'o', joinOpts(f.readOnly && 'ro', extra));
      break;
    case 'device':
      set(options, 'type', f.fsType);
      options.device = f.source.trim();
      set(options, 'o', joinOpts(f.readOnly && 'ro', extra));
      break;
    case 'ssh':
      return { name: f.name.trim(), options: sshOptions(f) };
    case 'plugin':
      return { name: f.name.trim(), driver: f.driver, options: pairsOf(f.pluginOptions) };
    case 'directory':
      set(options, 'uid', f.uid);
      set(options, 'gid', f.gid);
      break;
  }
  return { name: f.name.trim(), options };
}
