// A guided error's command as it runs where the engine runs: the catalogue writes
// `volume-manager …`, which is on PATH only where the package is installed, and `sudo …`,
// which root needs not.

import type { CommandLine } from '../../app/api/types.js';

const WORD = /(^|[\s|&;(])volume-manager(?=\s|$)/g;
const SUDO = /(^|[|&;(]\s*)sudo\s+/g;

export function localCommand(command: string, here: CommandLine | null): string {
  if (!here) return command;
  if (here.Root) command = command.replace(SUDO, '$1');
  const ownStore = command.includes('--state-dir');
  const start = here.StateDir && !ownStore ? `${here.Command} ${here.StateDir}` : here.Command;
  return command.replace(WORD, (_m, before: string) => `${before}${start}`);
}
