// How a person runs the command line on this machine, for the commands in guided errors:
// `volume-manager` where it is on PATH (an installed package), else the bundle beside this
// one run the way the autostart entry runs it; with --state-dir when the window's store is
// not the default one, so a copied command acts on the volumes the window shows.

import type { CommandLine } from '../../app/api/types.js';
import { shellWord } from '../../app/errors/shell-words.js';
import { defaultStateDir } from '../../app/state/layout.js';
import { findProgram } from '../../app/system/system-bin.js';

export function onPath(command: string, path = process.env.PATH ?? ''): boolean {
  return findProgram(command, path.split(':')) !== null;
}

/** `runner`: the words that run the bundled command line here (the autostart entry's). */
export function commandLine(runner: string[], stateDir: string, installed = onPath('volume-manager'), root = process.geteuid?.() === 0): CommandLine {
  return {
    Command: (installed ? ['volume-manager'] : runner).map(shellWord).join(' '),
    StateDir: stateDir === defaultStateDir() ? '' : `--state-dir ${shellWord(stateDir)}`,
    Root: root,
  };
}
