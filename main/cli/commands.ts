// The command line's verbs, each a thin shell over one contract operation.

import type { Operation, RequestOf, ResponseOf, VolumeApi } from '../../app/api/contract.js';
import { dispatch } from '../../app/handlers/handlers.js';
import type { BatchItem, ListFilters, MountPolicy, VolumeInspect } from '../../app/api/types.js';
import { invalidRequest } from '../../app/errors/catalogue.js';
import { GuidedError } from '../../app/errors/guided-error.js';
import { parsePairs } from '../../app/volume/labels.js';
import { list, parse } from './args.js';
import { formatGuidedError, table } from './print.js';

export type Call = <K extends Operation>(op: K, request: RequestOf<K>) => Promise<ResponseOf<K>>;

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Asks a yes/no question; undefined when there is no terminal to ask on. */
  confirm?: (question: string) => Promise<boolean>;
  /** Shows a desktop notification where one can be shown. */
  notify?: (title: string, body: string) => Promise<void>;
}

export const EXIT_ERROR = 125;

function mountPolicy(value: unknown): MountPolicy {
  if (value !== 'manual' && value !== 'login') throw invalidRequest(`--mount-at ${JSON.stringify(value)}: use manual or login`);
  return value;
}

/** Prints each batch item; failures as guided errors. Returns the exit code. */
function reportBatch<T>(items: BatchItem<T>[], io: Io, ok: (item: BatchItem<T>) => string | undefined): number {
  let code = 0;
  for (const item of items) {
    if (item.ok) {
      const line = ok(item);
      if (line !== undefined) io.out(line);
    } else {
      io.err(formatGuidedError(item.error!, item.name));
      code = EXIT_ERROR;
    }
  }
  return code;
}

function needNames(positionals: string[], verb: string): string[] {
  if (positionals.length === 0) throw invalidRequest(`volume ${verb} needs at least one volume name`);
  return positionals;
}

const BOOL_FILTER = /^(true|false|1|0)$/;

export function parseFilters(pairs: string[]): ListFilters {
  const f: ListFilters = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw invalidRequest(`invalid filter ${JSON.stringify(pair)}: expected key=value`);
    const key = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    if (key === 'name' || key === 'driver' || key === 'label') (f[key] ??= []).push(value);
    else if (key === 'mounted' || key === 'dangling') {
      if (!BOOL_FILTER.test(value)) throw invalidRequest(`invalid filter ${pair}: expected true or false`);
      f[key] = value === 'true' || value === '1';
    } else throw invalidRequest(`invalid filter key ${JSON.stringify(key)}: use name, driver, label, mounted or dangling`);
  }
  return f;
}

const kindText = (v: VolumeInspect) => (v.Plugin && v.Plugin.State !== 'ready' ? `plugin ${v.Plugin.State}` : v.Kind);
const lsRow = (v: VolumeInspect) => [v.Driver, v.Name, v.Mounted ? 'yes' : 'no', String(v.MountCount), kindText(v)];

export const volumeCommands: Record<string, (argv: string[], call: Call, io: Io) => Promise<number>> = {
  async create(argv, call, io) {
    const { values, positionals } = parse(argv, {
      driver: { type: 'string', short: 'd' },
      opt: { type: 'string', short: 'o', multiple: true },
      label: { type: 'string', short: 'l', multiple: true },
      'mount-at': { type: 'string' },
    });
    if (positionals.length !== 1) throw invalidRequest('volume create takes exactly one NAME');
    const v = await call('volume.create', {
      name: positionals[0]!,
      driver: values.driver as string | undefined,
      options: parsePairs(list(values.opt), 'opt'),
      labels: parsePairs(list(values.label), 'label'),
      ...(values['mount-at'] === undefined ? {} : { mountAt: mountPolicy(values['mount-at']) }),
    });
    io.out(v.Name);
    return 0;
  },

  async inspect(argv, call, io) {
    const { positionals } = parse(argv, {});
    io.out(JSON.stringify(await call('volume.inspect', { names: needNames(positionals, 'inspect') }), null, 4));
    return 0;
  },

  async ls(argv, call, io) {
    const { values } = parse(argv, {
      format: { type: 'string' },
      filter: { type: 'string', short: 'f', multiple: true },
      quiet: { type: 'boolean', short: 'q' },
    });
    const format = values.format as string | undefined;
    if (format !== undefined && format !== 'json' && format !== 'table') throw invalidRequest(`unknown --format ${JSON.stringify(format)}: use json or table`);
    const volumes = await call('volume.list', { filters: parseFilters(list(values.filter)) });
    if (format === 'json') io.out(JSON.stringify(volumes, null, 4));
    else if (values.quiet) volumes.forEach((v) => io.out(v.Name));
    else io.out(table(['DRIVER', 'VOLUME NAME', 'MOUNTED', 'COUNT', 'TYPE'], volumes.map(lsRow)));
    return 0;
  },

  async mount(argv, call, io) {
    const { positionals } = parse(argv, {});
    return reportBatch(await call('volume.mount', { names: needNames(positionals, 'mount') }), io, (i) => i.value!.Mountpoint);
  },

  async unmount(argv, call, io) {
    const { values, positionals } = parse(argv, { force: { type: 'boolean', short: 'f' } });
    return reportBatch(await call('volume.unmount', { names: needNames(positionals, 'unmount'), force: values.force === true }), io, (i) => i.name);
  },

  async rm(argv, call, io) {
    const { values, positionals } = parse(argv, { force: { type: 'boolean', short: 'f' } });
    const items = await call('volume.remove', { names: needNames(positionals, 'rm'), force: values.force === true });
    return reportBatch(items, io, (i) => {
      if (i.value?.warning) io.err(`Warning: ${i.value.warning}`);
      return i.name;
    });
  },

  async set(argv, call, io) {
    const { values, positionals } = parse(argv, { 'mount-at': { type: 'string' } });
    if (positionals.length !== 1 || values['mount-at'] === undefined) throw invalidRequest('volume set takes --mount-at manual|login and exactly one NAME');
    const v = await call('volume.set', { name: positionals[0]!, mountAt: mountPolicy(values['mount-at']) });
    io.out(`${v.Name}: mount at ${v.MountAt}`);
    return 0;
  },

  /** What the autostart entry runs at login; with --notify, failures also reach the desktop. */
  async restore(argv, call, io) {
    const { values } = parse(argv, { notify: { type: 'boolean' } });
    const items = await call('volume.restore', {});
    const failed = items.filter((i) => i.Result === 'failed');
    for (const i of items) {
      if (i.Error) io.err(formatGuidedError(i.Error, i.Name));
      else io.out(`${i.Name}: ${i.Result}${i.Mountpoint ? ` at ${i.Mountpoint}` : ''}`);
    }
    if (failed.length && values.notify) await io.notify?.(`${failed.length} volume(s) did not come back at login`, failed.map((i) => `${i.Name}: ${i.Error!.title}`).join('\n'));
    return failed.length ? EXIT_ERROR : 0;
  },

  async reload(argv, call, io) {
    parse(argv, {});
    const report = await call('volume.reload', {});
    if (report.Added.length) io.out(['Added:', ...report.Added].join('\n'));
    if (report.Removed.length) io.out(['Removed:', ...report.Removed].join('\n'));
    for (const e of report.Errors) io.err(formatGuidedError(e.Error, e.Volume ?? e.Driver));
    return report.Errors.length ? EXIT_ERROR : 0;
  },

  async prune(argv, call, io) {
    const { values } = parse(argv, { force: { type: 'boolean', short: 'f' } });
    if (values.force !== true) {
      const yes = await io.confirm?.('WARNING! This will remove all volumes that are not mounted.\nAre you sure you want to continue? [y/N] ');
      if (yes === undefined) throw invalidRequest('volume prune asks for confirmation and there is no terminal; pass --force');
      if (!yes) return 0;
    }
    return reportBatch(await call('volume.prune', {}), io, (i) => i.name);
  },
};

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
    /** Records an SSH volume's host key after the person compared it, or with --fingerprint. */
    async trust(argv, call, io) {
      const { values, positionals } = parse(argv, { fingerprint: { type: 'string' } });
      if (positionals.length !== 1) throw invalidRequest('ssh trust takes exactly one NAME');
      const name = positionals[0]!;
      let fingerprint = values.fingerprint as string | undefined;
      if (fingerprint === undefined) {
        const keys = await call('ssh.hostKeys', { name });
        io.out(`${keys.Host} offers:\n${keys.Fingerprints.map((f) => `  ${f}`).join('\n')}`);
        const yes = await io.confirm?.(`Trust ${keys.Host} with key ${keys.Fingerprints[0]}? Compare it with the one its administrator gives you. [y/N] `);
        if (yes === undefined) throw invalidRequest('ssh trust asks for confirmation and there is no terminal; pass --fingerprint SHA256:... after comparing it');
        if (!yes) return 0;
        fingerprint = keys.Fingerprints[0]!;
      }
      const r = await call('ssh.trust', { name, fingerprint });
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
