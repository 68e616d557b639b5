// Binds the contract to an engine. Every host (command line, IPC, HTTP) calls through
// `dispatch`, so each request is shape-checked the same way wherever it came from.

import { invalidRequest } from '../errors/catalogue.js';
import { toGuided } from '../errors/guided-error.js';
import { listFolders } from '../system/folders.js';
import type { VolumeEngine } from '../volume/engine.js';
import { volumeContents } from '../volume/contents.js';
import { ListChanges } from '../volume/list-changes.js';
import type { Transfers } from '../transfer/window-transfers.js';
import type { Envelope, Operation, ResponseOf, SshServerRequest, VolumeApi } from '../api/contract.js';
import { parsers } from '../api/parsers.js';
import type { CommandLine } from '../api/types.js';
import type { MachinesControl, ServingControl } from './serving.js';

/** A server's capability and options: an existing volume's, or those typed into the create form. */
async function serverOf(engine: VolumeEngine, server: SshServerRequest) {
  const found = await engine.capability('hostKeys', server.options ? undefined : server.name);
  return { use: found.use, options: server.options ?? found.options };
}

/**
 * `transfers`: the window's exports and imports, for cancel; a command line has none.
 * `commandLine`: how the command line runs where this host runs (main/shared/command-line.ts).
 * `serving`: the window's plugin server for containers; a command line has none.
 * `machines`: the window's sessions to other machines; a command line has none.
 * `changes`: the window's list by changes, given by a host that builds its first answer ahead.
 */
export function createHandlers(engine: VolumeEngine, transfers?: Transfers, commandLine: CommandLine = { Command: 'volume-manager', StateDir: '', Root: process.geteuid?.() === 0 }, serving?: ServingControl, machines?: MachinesControl, changes = new ListChanges(engine)): VolumeApi {
  const served = () => {
    if (!serving) throw invalidRequest('only a window serves the volumes to containers; from a terminal, run: volume-manager plugin serve');
    return serving;
  };
  return {
    'volume.create': (r) => engine.create(r),
    'volume.validate': async (r) => (engine.validate(r), { ok: true as const }),
    'volume.inspect': (r) => engine.inspect(r.names),
    'volume.list': (r) => engine.list(r.filters),
    'volume.changes': (r) => changes.since(r),
    'volume.mount': (r) => engine.mount(r.names),
    'volume.unmount': (r) => engine.unmount(r.names, r.force ?? false),
    'volume.remove': (r) => engine.remove(r.names, r.force ?? false),
    'volume.prune': (r) => engine.prune(r.filters),
    'volume.contents': (r) => volumeContents(engine, r.names),
    'volume.reload': () => engine.reload(),
    'volume.rename': (r) => engine.rename(r.name, r.to),
    'volume.set': (r) => engine.set(r.name, r),
    'volume.restore': () => engine.restore(),
    'volume.restoreFailures': async () => engine.takeRestoreFailures(),
    'driver.list': () => engine.drivers(),
    'driver.places': async () => engine.pluginPlaces(),
    'nfs.exports': async (r) => (await engine.capability('exports')).use.list(r.server),
    'folder.list': async (r) => listFolders(r.path),
    'ssh.hostKeys': async (r) => serverOf(engine, r).then((s) => s.use.keys(s.options)),
    'ssh.trust': async (r) => serverOf(engine, r).then((s) => s.use.trust(s.options, r.fingerprint)),
    'ssh.folders': async (r) => serverOf(engine, { options: r.options }).then((s) => s.use.folders(s.options, r.path)),
    'app.commandLine': async () => commandLine,
    'transfer.cancel': async (r) => ({ Cancelled: transfers?.cancel(r.id) ?? false }),
    'machine.list': async () => (machines ? machines.list() : [{ Name: '', State: 'this' as const }]),
    'machine.add': (r) => {
      if (!machines) throw invalidRequest('only a window keeps sessions to other machines; from a terminal, use --url or connection add');
      return machines.add(r.name, r.url, r.identity);
    },
    'containers.status': () => served().status(),
    'containers.serve': () => served().serve(),
    'containers.confChange': () => served().confChange(),
    'containers.confWrite': (r) => served().confWrite(r.before),
  };
}

/** Validates `raw` for `op`, runs it, and returns the result or the guided error as data. */
export async function dispatch<K extends Operation>(api: VolumeApi, op: K, raw: unknown): Promise<Envelope<ResponseOf<K>>> {
  try {
    if (!Object.hasOwn(parsers, op)) throw invalidRequest(`unknown operation ${JSON.stringify(op)}`);
    const request = parsers[op](raw);
    const call = api[op] as (r: typeof request) => Promise<ResponseOf<K>>;
    return { ok: true, value: await call(request) };
  } catch (err) {
    return { ok: false, error: toGuided(err).toJSON() };
  }
}
