// A plugin's Mountpoint is what the plugin says, and a plugin may lie: the engine hands that
// path to a person, and an import writes into it (as root, when the engine is root). So it
// must be an absolute, existing directory, and neither / nor a directory the system lives in.

import { realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';

/** Directories that are never a volume, themselves or anything below them. */
const SYSTEM_TREES = ['/proc', '/sys', '/dev', '/etc', '/boot', '/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];
/** Directories that hold volumes but are never one themselves. */
const SYSTEM_DIRS = ['/', '/home', '/root', '/run', '/var', '/var/lib', '/var/run', '/var/tmp', '/tmp', '/srv', '/opt', '/mnt', '/media'];

const refusedBy = (path: string): string | null => {
  if (SYSTEM_DIRS.includes(path) || SYSTEM_TREES.includes(path) || path === homedir()) return 'a system directory';
  if (SYSTEM_TREES.some((t) => path.startsWith(`${t}/`))) return 'inside a system directory';
  return null;
};

/** Why `path` cannot be a plugin volume's mountpoint, or null when it can. */
export function pluginMountpointProblem(path: string): string | null {
  if (!path.startsWith('/') || path.split('/').includes('..')) return 'not an absolute path';
  let real: string;
  try {
    if (!statSync(path).isDirectory()) return 'not a directory';
    real = realpathSync(path);
  } catch {
    return 'not an existing directory';
  }
  const lexical = refusedBy(path.replace(/\/+$/, '') || '/');
  if (lexical) return lexical;
  const resolved = refusedBy(real);
  return resolved ? `${resolved} (${real})` : null;
}
