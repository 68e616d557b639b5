// The command line's verbs beside podman's volume verbs (volume-commands.ts): drivers, SSH
// trust, NFS exports; each a thin shell over one contract operation.

import type { Operation, RequestOf, ResponseOf, VolumeApi } from '../../app/api/contract.js';
import { dispatch } from '../../app/handlers/handlers.js';
import { invalidRequest } from '../../app/errors/catalogue.js';
import { GuidedError } from '../../app/errors/guided-error.js';
import { parse } from './args.js';
import { table } from './print.js';

export type Call = <K extends Operation>(op: K, request: RequestOf<K>) => Promise<ResponseOf<K>>;

export interface Io {
  out: (text: string) => void;
  /** Writes to standard output without ending the line (a question). */
  write: (text: string) => void;
  err: (text: string) => void;
  /** Whether errors carry their guided explanation after podman's line (see print.ts). */
  explain: boolean;
  /** The other machine the verb runs on (USER@HOST), named in every error; absent for this one. */
  machine?: string;
  /** --report-json: errors, and an import's outcome, as JSON lines for the machine that runs this one over SSH. */
  reportJson?: boolean;
  /** One line of standard input, terminal or not; '' at its end. */
  readLine: () => Promise<string>;
  /** Asks a yes/no question; undefined when there is no terminal to ask on. */
  confirm?: (question: string) => Promise<boolean>;
  /** Shows a desktop notification where one can be shown. */
  notify?: (title: string, body: string) => Promise<void>;
}

export const EXIT_ERROR = 125;

/** An SSH volume's options for the server of another machine (--url, or a named connection): its host key is the same. */
async function machineOptions(url: string | undefined, connection: string | undefined): Promise<Record<string, string>> {
  const { parseSshUrl } = await import('../shared/remote/ssh-url.js');
  const { readConnections } = await import('../shared/remote/connections.js');
  const named = connection === undefined ? undefined : readConnections().connections[connection];
  if (connection !== undefined && !named) throw invalidRequest(`no connection named ${JSON.stringify(connection)}; see volume-manager connection ls`);
  const u = parseSshUrl(url ?? named!.url);
  return { type: 'sshfs', device: `${u.user ? `${u.user}@` : ''}${u.host}:/`, o: `port=${u.port}` };
}

export const otherCommands: Record<string, Record<string, (argv: string[], call: Call, io: Io) => Promise<number>>> = {
  driver: {
    async ls(argv, call, io) {
      const { values } = parse(argv, { format: { type: 'string' } });
      const drivers = await call('driver.list', {});
      if (values.format === 'json') io.out(JSON.stringify(drivers, null, 4));
      else io.out(table(['NAME', 'ANSWERS', 'SCOPE', 'SOURCE', 'ERROR'], drivers.map((d) => [d.Name, d.Answers ? 'yes' : 'no', d.Scope ?? '', d.Source, d.Error ?? ''])));
      return 0;
    },
  },
  ssh: {
    /**
     * Records the host key of an SSH volume's server (NAME), or of another machine this command
     * line reaches (--url, or --connection NAME), after the person compared it, or with --fingerprint.
     */
    async trust(argv, call, io) {
      const { values, positionals } = parse(argv, { fingerprint: { type: 'string' }, url: { type: 'string' }, connection: { type: 'string' } });
      const machine = values.url !== undefined || values.connection !== undefined;
      if (machine ? positionals.length !== 0 : positionals.length !== 1) throw invalidRequest('ssh trust takes exactly one NAME, or --url ssh://USER@HOST[:PORT], or --connection NAME');
      const name = positionals[0];
      const server: { name?: string; options?: Record<string, string> } = machine ? { options: await machineOptions(values.url as string | undefined, values.connection as string | undefined) } : { name: name! };
      let fingerprint = values.fingerprint as string | undefined;
      if (fingerprint === undefined) {
        const keys = await call('ssh.hostKeys', server);
        io.out(`${keys.Host} offers:\n${keys.Fingerprints.map((f) => `  ${f}`).join('\n')}`);
        const yes = await io.confirm?.(`Trust ${keys.Host} with key ${keys.Fingerprints[0]}? Compare it with the one its administrator gives you. [y/N] `);
        if (yes === undefined) throw invalidRequest('ssh trust asks for confirmation and there is no terminal; pass --fingerprint SHA256:... after comparing it');
        if (!yes) return 0;
        fingerprint = keys.Fingerprints[0]!;
      }
      const r = await call('ssh.trust', { ...server, fingerprint });
      io.out(`trusted ${r.Fingerprint}`);
      return 0;
    },
  },
  nfs: {
    async exports(argv, call, io) {
      const { positionals } = parse(argv, {});
      if (positionals.length !== 1) throw invalidRequest('nfs exports takes exactly one SERVER');
      const exports = await call('nfs.exports', { server: positionals[0]! });
      io.out(table(['EXPORT', 'CLIENTS'], exports.map((e) => [e.path, e.clients])));
      return 0;
    },
  },
};

/** Calls through the contract's dispatch, turning the envelope's error back into a throw. */
export function throwing(api: VolumeApi): Call {
  return async (op, request) => {
    const env = await dispatch(api, op, request);
    if (!env.ok) throw new GuidedError(env.error);
    return env.value;
  };
}
