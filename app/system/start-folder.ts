// Where the folder picker opens when no path was typed: the person's home. Under sudo the
// engine's own home is root's, not the person's: the home of the user sudo was run by
// (SUDO_USER, looked up in the passwd file) is theirs. Without sudo, the engine's home.

import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';

const NAME = /^[a-z_][a-z0-9_.-]*\$?$/i;

export function startFolder(env: NodeJS.ProcessEnv = process.env, passwd: () => string = () => readFileSync('/etc/passwd', 'utf8'), own: () => string = homedir): string {
  const user = env.SUDO_USER;
  if (process.geteuid?.() === 0 && user && user !== 'root' && NAME.test(user)) {
    try {
      const line = passwd()
        .split('\n')
        .find((l) => l.startsWith(`${user}:`));
      const home = line?.split(':')[5];
      if (home?.startsWith('/')) return home;
    } catch {
      /* no passwd to read: the engine's own home */
    }
  }
  return own();
}
