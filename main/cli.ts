#!/usr/bin/env node
// The `volume-manager` command line: podman's volume verbs over the same engine and the
// same store as the desktop app.

import { createInterface } from 'node:readline/promises';
import { createHandlers } from '../app/api/handlers.js';
import { toGuided } from '../app/errors/guided-error.js';
import { defaultStateDir } from '../app/state/layout.js';
import { VolumeEngine } from '../app/volume/engine.js';
import { EXIT_ERROR, otherCommands, throwing, volumeCommands, type Io } from './cli/commands.js';
import { formatGuidedError } from './cli/print.js';
import { USAGE } from './cli/usage.js';
import { invalidRequest } from '../app/errors/catalogue.js';

const io: Io = {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
  confirm: process.stdin.isTTY
    ? async (q) => {
        const rl = createInterface({ input: process.stdin, output: process.stderr });
        const answer = await rl.question(q);
        rl.close();
        return /^y(es)?$/i.test(answer.trim());
      }
    : undefined,
};

/** Splits off the global flags that come before the command. */
function globals(argv: string[]): { stateDir: string; rest: string[]; help: boolean } {
  let stateDir = defaultStateDir();
  let help = false;
  const rest = [...argv];
  while (rest.length && rest[0]!.startsWith('-')) {
    const flag = rest.shift()!;
    if (flag === '-h' || flag === '--help') help = true;
    else if (flag === '--state-dir') stateDir = rest.shift() ?? '';
    else if (flag.startsWith('--state-dir=')) stateDir = flag.slice('--state-dir='.length);
    else throw invalidRequest(`unknown option ${JSON.stringify(flag)}`);
    if (!stateDir) throw invalidRequest('--state-dir needs a directory');
  }
  return { stateDir, rest, help };
}

async function main(argv: string[]): Promise<number> {
  const { stateDir, rest, help } = globals(argv);
  const [group, verb, ...args] = rest;
  if (help || !group || args.includes('--help') || args.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  const command = group === 'volume' ? volumeCommands[verb ?? ''] : otherCommands[group]?.[verb ?? ''];
  if (!command || !Object.hasOwn(group === 'volume' ? volumeCommands : (otherCommands[group] ?? {}), verb ?? '')) {
    throw invalidRequest(`unknown command ${JSON.stringify([group, verb].filter(Boolean).join(' '))}; see volume-manager --help`);
  }
  const api = createHandlers(new VolumeEngine({ stateDir }));
  return command(args, throwing(api), io);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    io.err(formatGuidedError(toGuided(err)));
    process.exitCode = EXIT_ERROR;
  },
);
