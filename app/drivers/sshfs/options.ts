// An SSH volume's options, in the local driver's form as podman users write volumes:
// type=sshfs, device=[USER@]HOST:/PATH, o=port=N,IdentityFile=/path/key,... Only options
// that cannot run a command, ask for a password or weaken host key checking are taken:
// sshfs and ssh have many that can (ssh_command, ProxyCommand, password_stdin,
// StrictHostKeyChecking=no), and every value here reaches an argv.

import { invalidOption } from '../../errors/catalogue.js';

export interface SshSpec {
  user?: string;
  host: string;
  path: string;
  port: number;
  identityFile?: string;
  /** Seconds before a dead server is given up on; also how often a live one is asked. */
  connectTimeout: number;
  /** The user's other allowed options, for sshfs's -o, in order. */
  extra: string[];
}

const DEVICE = /^(?:([a-z_][a-z0-9_.-]{0,31})@)?([A-Za-z0-9][A-Za-z0-9.-]{0,252}|\[[0-9A-Fa-f:.]{2,45}\]):(\/[A-Za-z0-9_.@+,=\/-]*)$/;
const PATH = /^\/[A-Za-z0-9_.@+,=\/-]*$/;

/** An absolute path with no "..", of characters no shell or sftp batch reads specially: key files and remote folders. */
export const isPlainPath = (path: string) => PATH.test(path) && !path.split('/').includes('..');
const NUMBER = /^\d{1,5}$/;

/** What o= may hold: name → how its value is checked (undefined: a flag with no value). */
const ALLOWED: Record<string, ((v: string) => boolean) | undefined> = {
  port: (v) => NUMBER.test(v) && Number(v) >= 1 && Number(v) <= 65535,
  IdentityFile: isPlainPath,
  ConnectTimeout: (v) => NUMBER.test(v) && Number(v) >= 1 && Number(v) <= 300,
  reconnect: undefined,
  ro: undefined,
  follow_symlinks: undefined,
  idmap: (v) => v === 'user' || v === 'none',
  compression: (v) => v === 'yes' || v === 'no',
  uid: (v) => NUMBER.test(v),
  gid: (v) => NUMBER.test(v),
  umask: (v) => /^[0-7]{3,4}$/.test(v),
};

const DEFAULT_TIMEOUT_SEC = 5;

/** Checks an SSH volume's options and says how to mount it; throws INVALID_OPTION naming the first bad one. */
export function parseSshOptions(options: Record<string, string>): SshSpec {
  for (const key of Object.keys(options)) {
    if (key !== 'type' && key !== 'device' && key !== 'o') throw invalidOption(`invalid mount option ${key} for type=sshfs`, 'SSH volumes take type=sshfs, device=[USER@]HOST:/PATH and o=port=N,IdentityFile=/path/to/key.');
  }
  const device = options.device;
  if (device === undefined) throw invalidOption('type=sshfs needs device=[USER@]HOST:/PATH', 'For example device=me@build-box:/home/me/project');
  const m = DEVICE.exec(device);
  if (!m) throw invalidOption(`invalid SSH device ${JSON.stringify(device)}: expected [USER@]HOST:/PATH`, 'For example device=me@build-box:/home/me/project');
  if (m[3]!.split('/').includes('..')) throw invalidOption(`invalid SSH device ${JSON.stringify(device)}: ".." is not allowed in the remote path`);
  const spec: SshSpec = { host: m[2]!, path: m[3]!, port: 22, connectTimeout: DEFAULT_TIMEOUT_SEC, extra: [], ...(m[1] ? { user: m[1] } : {}) };
  for (const entry of (options.o ?? '').split(',').filter(Boolean)) {
    const eq = entry.indexOf('=');
    const name = eq < 0 ? entry : entry.slice(0, eq);
    const value = eq < 0 ? undefined : entry.slice(eq + 1);
    if (/pass/i.test(name)) throw invalidOption(`${name} is refused: SSH volumes authenticate with a key or ssh-agent only, never a password`);
    if (!Object.hasOwn(ALLOWED, name)) {
      throw invalidOption(`invalid SSH option ${JSON.stringify(name)} in o=`, `Allowed: ${Object.keys(ALLOWED).join(', ')}. Options that run commands or skip host key checks are never taken.`);
    }
    const check = ALLOWED[name];
    if (check ? value === undefined || !check(value) : value !== undefined) throw invalidOption(`invalid value for ${name} in o=: ${JSON.stringify(value ?? '')}`);
    if (name === 'port') spec.port = Number(value);
    else if (name === 'IdentityFile') spec.identityFile = value;
    else if (name === 'ConnectTimeout') spec.connectTimeout = Number(value);
    else spec.extra.push(entry);
  }
  return spec;
}

/** `host` as ssh names it in known_hosts and in its messages: [host]:port unless the port is 22. */
export const knownHostsName = (spec: Pick<SshSpec, 'host' | 'port'>) => (spec.port === 22 ? spec.host.replace(/^\[|\]$/g, '') : `[${spec.host.replace(/^\[|\]$/g, '')}]:${spec.port}`);
