// podman's `system connection` as `connection`: named other machines (an ssh:// URL and an
// identity file), one of them the default for --remote. Local only: nothing is asked there.

import { invalidRequest } from '../../app/errors/catalogue.js';
import { assertConnectionName, assertIdentity, readConnections, writeConnections } from '../shared/remote/connections.js';
import { parseSshUrl } from '../shared/remote/ssh-url.js';
import { parse } from './args.js';
import type { Io } from './commands.js';
import { table } from './print.js';

/** The one connection NAME a verb names, and the connections it is among. */
function named(argv: string[]): { name: string; c: ReturnType<typeof readConnections> } {
  const { positionals } = parse(argv, {});
  if (positionals.length !== 1) throw invalidRequest(`accepts 1 arg(s), received ${positionals.length}`);
  const c = readConnections();
  if (!c.connections[positionals[0]!]) throw invalidRequest(`no connection named ${JSON.stringify(positionals[0])}`);
  return { name: positionals[0]!, c };
}

export const connectionCommands: Record<string, (argv: string[], io: Io) => Promise<number>> = {
  async add(argv) {
    const { values, positionals } = parse(argv, { identity: { type: 'string' }, default: { type: 'boolean', short: 'd' } });
    if (positionals.length !== 2) throw invalidRequest(`accepts 2 arg(s), received ${positionals.length}`);
    const [name, url] = positionals as [string, string];
    assertConnectionName(name);
    parseSshUrl(url);
    const identity = values.identity as string | undefined;
    if (identity !== undefined) assertIdentity(identity);
    const c = readConnections();
    c.connections[name] = { url, ...(identity ? { identity } : {}) };
    if (values.default || !c.default) c.default = name;
    writeConnections(c);
    return 0;
  },
  async ls(argv, io) {
    const { values } = parse(argv, { format: { type: 'string' } });
    const c = readConnections();
    const rows = Object.entries(c.connections).map(([name, x]) => ({ Name: name, URI: x.url, Identity: x.identity ?? '', Default: c.default === name }));
    if (values.format === 'json') io.out(JSON.stringify(rows, null, 2));
    else if (values.format !== undefined) throw invalidRequest(`unknown --format ${JSON.stringify(values.format)}: use json`);
    else io.out(table(['NAME', 'URI', 'IDENTITY', 'DEFAULT'], rows.map((r) => [r.Name, r.URI, r.Identity, String(r.Default)])));
    return 0;
  },
  async rm(argv) {
    const { name, c } = named(argv);
    delete c.connections[name];
    if (c.default === name) delete c.default;
    writeConnections(c);
    return 0;
  },
  async default(argv) {
    const { name, c } = named(argv);
    c.default = name;
    writeConnections(c);
    return 0;
  },
};
