// The window's other machines: one kept session per connection (connection add, or the
// window's own Add), opened on first use and opened again after it was lost, so a machine that
// went away comes back by itself at the window's next look. Calls for a machine go through the
// contract's parsers here first, then over its session, where they are checked again; what
// the window asks of a machine that only this computer answers (exports to a download, the
// folder picker, the plugin server) is refused with a guided error saying so.

import { answerChecks } from '../../../app/api/answers.js';
import { operations, type Operation, type VolumeApi } from '../../../app/api/contract.js';
import type { MachineInfo } from '../../../app/api/types.js';
import { invalidRequest } from '../../../app/errors/catalogue.js';
import { GuidedError, toGuided, type GuidedErrorData } from '../../../app/errors/guided-error.js';
import type { MachinesControl } from '../../../app/handlers/serving.js';
import { RemoteEngine, type RemoteTarget } from './channel.js';
import { assertConnectionName, assertIdentity, readConnections, writeConnections } from './connections.js';
import { parseSshUrl } from './ssh-url.js';
import { exportThere, importThere } from './remote-transfer.js';
import type { ElsewhereTransfers } from '../../../app/transfer/dispatch.js';

/** What a window asks of its host itself, whichever machine it shows. */
const HOST_OPS = new Set<Operation>(['machine.list', 'machine.add', 'app.commandLine', 'transfer.cancel']);
/** Errors after which a session is opened again at the next call. */
const CONNECTION_CODES = new Set(['REMOTE_LOST', 'REMOTE_INVALID', 'SSH_UNREACHABLE', 'SSH_HOST_UNKNOWN', 'SSH_HOST_CHANGED', 'SSH_AUTH_REFUSED', 'REMOTE_NODE_MISSING']);

interface Session {
  engine?: RemoteEngine;
  opening?: Promise<RemoteEngine>;
  error?: GuidedErrorData;
}

export class Machines implements MachinesControl {
  private readonly sessions = new Map<string, Session>();

  /** `bundle`: the folder of the cli.cjs copied to machines that lack it. */
  constructor(private readonly bundle: string) {}

  /** Export and import with machine `name`'s volumes, streamed through a session of their own. */
  elsewhere(name: string): ElsewhereTransfers {
    return {
      export: (volume, out, hooks) => exportThere(this.target(name), volume, out, hooks),
      import: (volume, input, opts, hooks) => importThere(this.target(name), volume, input, opts, hooks),
    };
  }

  private target(name: string): RemoteTarget {
    assertConnectionName(name);
    const c = readConnections().connections[name];
    if (!c) throw invalidRequest(`no machine named ${JSON.stringify(name)}; add it first`);
    return { url: parseSshUrl(c.url), ...(c.identity ? { identity: c.identity } : {}), bundle: this.bundle };
  }

  private session(name: string): Session {
    let s = this.sessions.get(name);
    if (!s) this.sessions.set(name, (s = {}));
    return s;
  }

  /** The open session to `name`, opening one where there is none (once, for concurrent calls). */
  private async engine(name: string): Promise<RemoteEngine> {
    const s = this.session(name);
    if (s.engine) return s.engine;
    s.opening ??= RemoteEngine.open(this.target(name)).then(
      (e) => {
        s.engine = e;
        delete s.error;
        delete s.opening;
        return e;
      },
      (err) => {
        s.error = toGuided(err).toJSON();
        delete s.opening;
        throw err;
      },
    );
    return s.opening;
  }

  /** Calls `op` there; a connection that failed is dropped, to be opened again at the next call. */
  private async call(name: string, op: Operation, request: unknown): Promise<unknown> {
    assertConnectionName(name);
    if (!Object.hasOwn(answerChecks, op)) throw invalidRequest(`${op} works on this computer only; switch to it for this`);
    const engine = await this.engine(name);
    try {
      return await engine.call(op, request as never);
    } catch (err) {
      const g = toGuided(err);
      if (CONNECTION_CODES.has(g.code)) {
        const s = this.session(name);
        s.error = g.toJSON();
        delete s.engine;
        await engine.close();
      }
      throw g;
    }
  }

  /** The contract for machine `name`: this host's own operations from `local`, the rest there. */
  apiFor(name: string, local: VolumeApi): VolumeApi {
    return Object.fromEntries(operations.map((op) => [op, HOST_OPS.has(op) ? local[op] : (request: unknown) => this.call(name, op, request)])) as unknown as VolumeApi;
  }

  async list(): Promise<MachineInfo[]> {
    const c = readConnections();
    return [
      { Name: '', State: 'this' },
      ...Object.entries(c.connections).map(([name, x]): MachineInfo => {
        const s = this.sessions.get(name);
        return { Name: name, Url: x.url, State: s?.engine ? 'connected' : s?.error ? 'lost' : 'idle', ...(s?.error && !s.engine ? { Error: s.error } : {}) };
      }),
    ];
  }

  /** Adds the connection and opens a session; one that cannot open is kept, with why. */
  async add(name: string, url: string, identity?: string): Promise<MachineInfo> {
    assertConnectionName(name);
    parseSshUrl(url);
    if (identity !== undefined) assertIdentity(identity);
    const c = readConnections();
    c.connections[name] = { url, ...(identity ? { identity } : {}) };
    writeConnections(c);
    this.sessions.delete(name);
    try {
      await this.engine(name);
    } catch (err) {
      if (!(err instanceof GuidedError)) throw err;
    }
    return (await this.list()).find((m) => m.Name === name)!;
  }

  async close(): Promise<void> {
    for (const s of this.sessions.values()) await s.engine?.close();
    this.sessions.clear();
  }
}
