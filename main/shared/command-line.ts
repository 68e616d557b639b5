// How a person runs the command line on this machine, for the commands in guided errors:
// `volume-manager` where it is on PATH (an installed package), else the bundle beside this
// one run the way the autostart entry runs it; with --state-dir when the window's store is
// not the default one, so a copied command acts on the volumes the window shows.

import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import type { CommandLine } from '../../app/api/types.js';
import { shellWord } from '../../app/errors/shell-words.js';
import { defaultStateDir } from '../../app/state/layout.js';

export function onPath(command: string, path = process.env.PATH ?? ''): boolean {
  return path.split(':').some((dir) => {
    if (!dir.startsWith('/')) return false;
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** `runner`: the words that run the bundled command line here (the autostart entry's). */
export function commandLine(runner: string[], stateDir: string, installed = onPath('volume-manager'), root = process.geteuid?.() === 0): CommandLine {
  return {
    Command: (installed ? ['volume-manager'] : runner).map(shellWord).join(' '),
    StateDir: stateDir === defaultStateDir() ? '' : `--state-dir ${shellWord(stateDir)}`,
    Root: root,
  };
}
