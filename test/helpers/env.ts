// What a test needs from the machine, and what happens when it is missing: a skip with
// the reason on a workstation, a failure under CI=true (where .ci/run provisions it all).

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe } from 'vitest';
import { IMAGE_TAR } from './containers.js';

export const isRoot = process.geteuid?.() === 0;
export const inCI = process.env.CI === 'true';

export const hasCommand = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** `describe` when `ok`, else a skipped describe (or, under CI, a thrown error naming `what`). */
export function describeIf(ok: boolean, what: string): typeof describe {
  if (ok) return describe;
  if (inCI) throw new Error(`CI=true and this suite needs ${what}; run test/setup/provision.sh as root first`);
  console.warn(`skipping a suite: it needs ${what} (run test/setup/provision.sh as root to provide it)`);
  return describe.skip as typeof describe;
}

/** podman with runc, and the offline image test/setup/provision.sh makes. */
export const podmanUp = () => isRoot && hasCommand('podman') && hasCommand('runc') && existsSync(IMAGE_TAR);
/** Debian's docker.io: a dockerd each test starts on a data root of its own. */
export const dockerUp = () => isRoot && existsSync('/usr/sbin/dockerd') && existsSync('/usr/bin/docker') && existsSync(IMAGE_TAR);

export const needsRoot = () => describeIf(isRoot, 'root (it mounts for real)');

export const ganeshaUp = () => spawnSync('showmount', ['-e', '--no-headers', '127.0.0.1'], { encoding: 'utf8', timeout: 5000 }).stdout?.includes('/srv/volume-manager-test/export') ?? false;
export const NFS_EXPORT = '/srv/volume-manager-test/export';

export const polkitUp = () =>
  isRoot && existsSync('/usr/bin/pkexec') && spawnSync('pgrep', ['-x', 'polkitd']).status === 0 && spawnSync('id', ['vmtest']).status === 0;

/** The tests' own OpenSSH server (test/setup/provision.sh). */
export const SSH = { port: 2222, key: '/etc/volume-manager-test/ssh/id_ed25519', remote: '/srv/volume-manager-test/ssh', user: 'vmtest' } as const;

export const sshUp = () =>
  hasCommand('sshfs') && existsSync(SSH.key) && (spawnSync('ssh-keyscan', ['-p', String(SSH.port), '-T', '2', '127.0.0.1'], { encoding: 'utf8', timeout: 5000 }).stdout ?? '').includes('ssh-ed25519');

/**
 * How a key for the test sshd is recorded in known_hosts here: hashed (`|1|salt|hash`) where
 * ssh's configuration says HashKnownHosts, as Debian's does, else as `[127.0.0.1]:2222`.
 */
export function recordedHostLine(): RegExp {
  const hashes = /^hashknownhosts yes$/m.test(spawnSync('ssh', ['-G', '-p', String(SSH.port), '127.0.0.1'], { encoding: 'utf8' }).stdout);
  return hashes ? /^\|1\|[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]+ ssh-ed25519 / : /^\[127\.0\.0\.1\]:2222 ssh-ed25519 /;
}
