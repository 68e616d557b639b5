#!/usr/bin/env node
// The `volume-manager` command line: podman's volume verbs over the same engine and the
// same store as the desktop app.

import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHandlers } from '../../app/handlers/handlers.js';
import { toGuided } from '../../app/errors/guided-error.js';
import { defaultLocations, withOverrides, type PluginLocations } from '../../app/plugin-client/locations.js';
import { defaultStateDir } from '../../app/state/layout.js';
import { VolumeEngine } from '../../app/volume/engine.js';
import { EXIT_ERROR, otherCommands, throwing, type Io } from './commands.js';
import { volumeCommands } from './volume-commands.js';
import type { RemoteTarget } from '../shared/remote/channel.js';
import { formatGuidedError } from './print.js';
import { fdWriter, isTerminal } from './std-streams.js';
import { USAGE } from './usage.js';
import { invalidRequest } from '../../app/errors/catalogue.js';

/** One line of standard input, terminal or pipe; '' when it ends first. */
async function readLine(): Promise<string> {
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, terminal: false });
  return new Promise((done) => {
    rl.once('line', (l) => {
      done(l);
      rl.close();
    });
    rl.once('close', () => done(''));
  });
}

const toStdout = fdWriter(1, () => process.stdout);
const toStderr = fdWriter(2, () => process.stderr);
/** --explain was given. */
let explainAsked = false;

/** Asks on the terminal; only ssh trust asks, so readline stays unloaded for every other verb. */
async function askOnTerminal(q: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(q);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

// Whether standard error or input is a terminal is asked only when an error is printed or a
// question asked (std-streams.ts says why).
const io: Io = {
  out: (t) => toStdout(`${t}\n`),
  write: (t) => toStdout(t),
  err: (t) => toStderr(`${t}\n`),
  get explain() {
    return explainWanted(explainAsked);
  },
  set explain(asked: boolean) {
    explainAsked = asked;
  },
  readLine,
  get confirm() {
    return isTerminal(0) ? askOnTerminal : undefined;
  },
  // notify-send (libnotify) as an argv; where it is missing, stderr is all there is.
  notify: async (title, body) => {
    const { execArgv } = await import('../../app/system/exec-argv.js');
    await execArgv('notify-send', ['--app-name=Volume Manager', '--urgency=critical', '--', title, body], { timeoutMs: 5000 });
  },
};

/** Global flags that take a value, and the plugin location each replaces when given. */
const PLUGIN_FLAGS = { '--plugin-socket-dir': 'socketDirs', '--plugin-spec-dir': 'specDirs', '--containers-conf': 'containersConfs' } as const;

/**
 * Whether errors carry the guided explanation: where a person reads standard error (a
 * terminal), or when asked (--explain, VOLUME_MANAGER_EXPLAIN=1); =0 turns it off.
 */
const explainWanted = (flag: boolean) => flag || process.env.VOLUME_MANAGER_EXPLAIN === '1' || (process.env.VOLUME_MANAGER_EXPLAIN !== '0' && isTerminal(2));

interface Globals {
  stateDir: string;
  /** --state-dir as given, for the machine a remote verb runs on (its own default otherwise). */
  stateDirGiven?: string;
  plugins: PluginLocations;
  rest: string[];
  help: boolean;
  /** --url, --identity, --connection NAME, --remote (the default connection). */
  url?: string;
  identity?: string;
  connection?: string;
  remote: boolean;
}

/** Splits off the global flags that come before the command. */
function globals(argv: string[]): Globals {
  let stateDir = defaultStateDir();
  let stateDirGiven: string | undefined;
  const given: Partial<PluginLocations> = {};
  const remote: Pick<Globals, 'url' | 'identity' | 'connection' | 'remote'> = { remote: false };
  let help = false;
  const rest = [...argv];
  while (rest.length && rest[0]!.startsWith('-')) {
    const arg = rest.shift()!;
    const eq = arg.indexOf('=');
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    if (flag === '-h' || flag === '--help') {
      help = true;
      continue;
    }
    if (flag === '--explain') {
      io.explain = true;
      continue;
    }
    if (flag === '--remote') {
      remote.remote = true;
      continue;
    }
    if (flag === '--report-json') {
      io.reportJson = true;
      continue;
    }
    const valued = ['--state-dir', '--url', '--identity', '--connection'];
    if (!valued.includes(flag) && !Object.hasOwn(PLUGIN_FLAGS, flag)) throw invalidRequest(`unknown option ${JSON.stringify(arg)}`);
    const value = eq < 0 ? (rest.shift() ?? '') : arg.slice(eq + 1);
    if (!value) throw invalidRequest(`${flag} needs a value`);
    if (flag === '--state-dir') {
      stateDir = resolve(value);
      stateDirGiven = value;
    } else if (flag === '--url') remote.url = value;
    else if (flag === '--identity') remote.identity = value;
    else if (flag === '--connection') remote.connection = value;
    else {
      // A flag given once replaces the defaults; given again, it adds to its own list.
      (given[PLUGIN_FLAGS[flag as keyof typeof PLUGIN_FLAGS]] ??= []).push(resolve(value));
    }
  }
  return { stateDir, ...(stateDirGiven ? { stateDirGiven } : {}), plugins: withOverrides(defaultLocations(), given), rest, help, ...remote };
}

/** The other machine the verb runs on, where --url, --connection or --remote names one. */
async function remoteOf(g: Globals): Promise<RemoteTarget | undefined> {
  if (!g.url && !g.connection && !g.remote) return undefined;
  const { readConnections, assertIdentity } = await import('../shared/remote/connections.js');
  const { parseSshUrl } = await import('../shared/remote/ssh-url.js');
  let url = g.url;
  let identity = g.identity;
  if (!url) {
    const c = readConnections();
    const name = g.connection ?? c.default;
    const found = name ? c.connections[name] : undefined;
    if (!found) throw invalidRequest(g.connection ? `no connection named ${JSON.stringify(g.connection)}; see volume-manager connection ls` : 'no default connection; add one with volume-manager connection add NAME ssh://USER@HOST');
    url = found.url;
    identity ??= found.identity;
  }
  if (identity !== undefined) assertIdentity(identity);
  return { url: parseSshUrl(url), ...(identity ? { identity } : {}), bundle: dirname(fileURLToPath(import.meta.url)), ...(g.stateDirGiven ? { stateDir: g.stateDirGiven } : {}) };
}

/** A verb on another machine: the contract's calls over SSH, export and import streamed. */
async function runRemote(t: RemoteTarget, group: string, verb: string, args: string[]): Promise<number> {
  const { machineName } = await import('../shared/remote/ssh-url.js');
  io.machine = machineName(t.url);
  if (group === 'volume' && (verb === 'export' || verb === 'import')) return (await import('./remote-transfers.js')).remoteTransfers[verb]!(args, t, io);
  if (group === 'plugin' || (group === 'volume' && (verb === 'restore' || verb === 'set'))) throw invalidRequest(`${group} ${verb} belongs to the machine it is for (its login, its containers): run it there, over ssh`);
  const command = group === 'volume' ? volumeCommands[verb] : otherCommands[group]?.[verb];
  if (!command || !Object.hasOwn(group === 'volume' ? volumeCommands : (otherCommands[group] ?? {}), verb)) throw invalidRequest(`unknown command ${JSON.stringify(`${group} ${verb}`)}; see volume-manager --help`);
  const { RemoteEngine } = await import('../shared/remote/channel.js');
  const far = await RemoteEngine.open(t);
  try {
    return await command(args, (op, request) => far.call(op, request), io);
  } finally {
    await far.close();
  }
}

async function main(argv: string[]): Promise<number> {
  explainAsked = argv.includes('--explain');
  const g = globals(argv);
  const { stateDir, plugins, rest, help } = g;
  const [group, verb, ...args] = rest;
  if (help || !group || args.includes('--help') || args.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  if (group === 'connection') {
    const commands = (await import('./connection-commands.js')).connectionCommands;
    if (!Object.hasOwn(commands, verb ?? '')) throw invalidRequest(`unknown command ${JSON.stringify(`connection ${verb ?? ''}`.trim())}; see volume-manager --help`);
    return commands[verb!]!(args, io);
  }
  // ssh trust records a key here, in this machine's known_hosts, whichever machine it is for.
  const remote = group === 'ssh' ? undefined : await remoteOf(g);
  if (remote) return runRemote(remote, group, verb ?? '', args);
  // Export and import load the transfer code only when asked for: every other verb starts without it.
  // So does the plugin server, which lives on the engine itself for as long as it serves.
  const transfer =
    group === 'volume' && (verb === 'export' || verb === 'import')
      ? (await import('./transfer-commands.js')).transferCommands[verb]
      : group === 'plugin' && (verb === 'serve' || verb === 'enable' || verb === 'disable')
        ? (await import('./plugin-commands.js')).pluginCommands[verb]
        : undefined;
  const command = group === 'volume' ? volumeCommands[verb ?? ''] : otherCommands[group]?.[verb ?? ''];
  // These two serve others for as long as they run; every other verb does one thing and exits.
  const serving = (group === 'remote' || group === 'plugin') && verb === 'serve';
  if (!transfer && !serving && (!command || !Object.hasOwn(group === 'volume' ? volumeCommands : (otherCommands[group] ?? {}), verb ?? ''))) {
    throw invalidRequest(`unknown command ${JSON.stringify([group, verb].filter(Boolean).join(' '))}; see volume-manager --help`);
  }
  // The autostart entry runs this very command line, by absolute paths, for this store.
  const autostart = { exec: [process.execPath, fileURLToPath(import.meta.url), '--state-dir', stateDir, 'volume', 'restore', '--notify'] };
  const engine = new VolumeEngine({ stateDir, plugins, autostart, runsAlone: !serving });
  try {
    if (group === 'remote' && verb === 'serve') return await (await import('./remote-serve.js')).remoteServe(engine);
    return transfer ? await transfer(args, engine, io, autostart.exec.slice(0, 4)) : await command!(args, throwing(createHandlers(engine)), io);
  } finally {
    engine.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    io.err(io.reportJson ? JSON.stringify({ error: toGuided(err).toJSON() }) : formatGuidedError(toGuided(err), io.machine, io.explain));
    process.exitCode = EXIT_ERROR;
  },
);
