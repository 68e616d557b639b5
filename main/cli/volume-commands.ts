// podman's volume verbs over the contract, verb by verb, flag by flag, exit code by exit code
// as podman 4.3 has them (checked side by side in test/integration/podman-cli-parity.test.ts),
// with what later podman changed for its users (AND-ed filters from 6.0, create --ignore from
// 4.4), and this app's own additions (--mount-at, mounted=, restore, set) beside them.

import { crypto } from '../../app/system/crypto-lazy.js';
import type { BatchItem, MountPolicy, VolumeInspect } from '../../app/api/types.js';
import { invalidRequest, volumeNotFound } from '../../app/errors/catalogue.js';
import { GuidedError, type GuidedErrorData } from '../../app/errors/guided-error.js';
import { parsePairs } from '../../app/volume/labels.js';
import { list, parse } from './args.js';
import { EXIT_ERROR, type Call, type Io } from './commands.js';
import { podmanFilters } from './filters.js';
import { inspectJson, isJsonFormat, lsJson, rendered, template } from './podman-output.js';
import { formatGuidedError } from './print.js';

/** podman's exit codes: 1 for a volume that is not there (rm, exists), 2 for one in use, else 125. */
const EXIT_MISSING = 1;
const EXIT_IN_USE = 2;

/** cobra's argument counts, in its words. */
function exactly(n: number, positionals: string[]): void {
  if (positionals.length !== n) throw invalidRequest(`accepts ${n} arg(s), received ${positionals.length}`);
}

function mountPolicy(value: unknown): MountPolicy {
  if (value !== 'manual' && value !== 'login') throw invalidRequest(`--mount-at ${JSON.stringify(value)}: use manual or login`);
  return value;
}

/** Prints each batch item; failures as errors. Returns podman's exit code for the worst one. */
function report<T>(items: BatchItem<T>[], io: Io, ok: (item: BatchItem<T>) => string | undefined, codeOf: (e: GuidedErrorData) => number = () => EXIT_ERROR): number {
  let code = 0;
  for (const item of items) {
    if (item.ok) {
      const line = ok(item);
      if (line !== undefined) io.out(line);
    } else {
      io.err(formatGuidedError(item.error!, io.machine ? `${item.name} on ${io.machine}` : item.name, io.explain));
      code = Math.max(code, codeOf(item.error!));
    }
  }
  return code;
}

/** The views podman's filters keep (engine's first, then the command line's own). */
async function filtered(call: Call, pairs: string[]): Promise<VolumeInspect[]> {
  const { engine, here } = podmanFilters(pairs);
  return (await call('volume.list', { filters: engine })).filter((v) => here.every((f) => f(v)));
}

/** Inspects `names`, leaving out the ones that are not there; those are returned apart, in order. */
async function inspectFound(call: Call, names: string[]): Promise<{ views: VolumeInspect[]; missing: string[] }> {
  const asked = [...names];
  const missing: string[] = [];
  for (;;) {
    if (!asked.length) return { views: [], missing };
    try {
      return { views: await call('volume.inspect', { names: asked }), missing };
    } catch (err) {
      const name = err instanceof GuidedError && err.code === 'VOLUME_NOT_FOUND' ? asked.find((n) => err.happened.includes(JSON.stringify(n))) : undefined;
      if (name === undefined) throw err;
      missing.push(name);
      asked.splice(asked.indexOf(name), 1);
    }
  }
}

export const volumeCommands: Record<string, (argv: string[], call: Call, io: Io) => Promise<number>> = {
  async create(argv, call, io) {
    const { values, positionals } = parse(argv, {
      driver: { type: 'string', short: 'd' },
      opt: { type: 'string', short: 'o', multiple: true },
      label: { type: 'string', short: 'l', multiple: true },
      ignore: { type: 'boolean' },
      'mount-at': { type: 'string' },
    });
    if (positionals.length > 1) throw invalidRequest(`accepts at most 1 arg(s), received ${positionals.length}`);
    // podman names a volume made without a name with 64 random hex digits.
    const name = positionals[0] ?? crypto().randomBytes(32).toString('hex');
    try {
      const v = await call('volume.create', {
        name,
        driver: values.driver as string | undefined,
        options: parsePairs(list(values.opt), 'opt'),
        labels: parsePairs(list(values.label), 'label'),
        ...(values['mount-at'] === undefined ? {} : { mountAt: mountPolicy(values['mount-at']) }),
      });
      io.out(v.Name);
    } catch (err) {
      // podman 4.4's --ignore: a volume of that name is there already, and that is fine.
      if (!(values.ignore && err instanceof GuidedError && err.code === 'VOLUME_EXISTS')) throw err;
      io.out(name);
    }
    return 0;
  },

  async exists(argv, call) {
    const { positionals } = parse(argv, {});
    exactly(1, positionals);
    const { missing } = await inspectFound(call, positionals);
    return missing.length ? EXIT_MISSING : 0;
  },

  async inspect(argv, call, io) {
    const { values, positionals } = parse(argv, { all: { type: 'boolean', short: 'a' }, format: { type: 'string', short: 'f' } });
    if (values.all && positionals.length) throw invalidRequest('--all and volume names cannot be given together');
    if (!values.all && !positionals.length) throw invalidRequest('provide one or more volume names or use --all');
    const format = (values.format as string | undefined) ?? 'json';
    const t = isJsonFormat(format) ? undefined : template(format, 'inspect');
    const { views, missing } = values.all ? { views: await call('volume.list', {}), missing: [] } : await inspectFound(call, positionals);
    if (t) rendered(t, views, 'inspect', true).forEach((l) => io.out(l));
    else io.out(inspectJson(views));
    for (const name of missing) io.err(formatGuidedError({ ...volumeNotFound(name).toJSON(), podman: `inspecting object: no such volume ${name}` }, name, io.explain));
    return missing.length ? EXIT_ERROR : 0;
  },

  async ls(argv, call, io) {
    const { values } = parse(argv, {
      format: { type: 'string' },
      filter: { type: 'string', short: 'f', multiple: true },
      noheading: { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
    });
    const format = values.format as string | undefined;
    const t = format === undefined || format === 'table' ? template('table {{.Driver}}\\t{{.Name}}', 'ls') : isJsonFormat(format) ? undefined : template(format, 'ls');
    const volumes = await filtered(call, list(values.filter));
    if (!t) io.out(lsJson(volumes));
    else if (values.quiet) volumes.forEach((v) => io.out(v.Name));
    // podman prints nothing at all, not even a header, when no volume matches.
    else if (volumes.length) rendered(t, volumes, 'ls', values.noheading !== true).forEach((l) => io.out(l));
    return 0;
  },

  async mount(argv, call, io) {
    const { positionals } = parse(argv, {});
    exactly(1, positionals);
    return report(await call('volume.mount', { names: positionals }), io, (i) => i.value!.Mountpoint);
  },

  async unmount(argv, call, io) {
    const { values, positionals } = parse(argv, { force: { type: 'boolean', short: 'f' } });
    exactly(1, positionals);
    return report(await call('volume.unmount', { names: positionals, force: values.force === true }), io, (i) => i.name);
  },

  async rm(argv, call, io) {
    const { values, positionals } = parse(argv, { all: { type: 'boolean', short: 'a' }, force: { type: 'boolean', short: 'f' }, time: { type: 'string', short: 't' } });
    const force = values.force === true;
    if (values.time !== undefined) {
      if (!/^\d+$/.test(String(values.time))) throw invalidRequest(`invalid argument ${JSON.stringify(values.time)} for "-t, --time" flag: a whole number of seconds`);
      // There are no containers of this app's own to stop: the wait has nothing to wait for.
      if (!force) throw invalidRequest('--force option must be specified to use the --time option');
    }
    if ((values.all === true) === positionals.length > 0) throw invalidRequest('choose either one or more volumes or all');
    const names = values.all ? (await call('volume.list', {})).map((v) => v.Name) : positionals;
    if (!names.length) return 0;
    const items = await call('volume.remove', { names, force });
    // podman's rm --force is silent about a volume that is not there.
    const shown = force ? items.filter((i) => i.ok || i.error!.code !== 'VOLUME_NOT_FOUND') : items;
    return report(
      shown,
      io,
      (i) => {
        if (i.value?.warning) io.err(`Warning: ${i.value.warning}`);
        return i.name;
      },
      (e) => (e.code === 'VOLUME_NOT_FOUND' ? EXIT_MISSING : e.code === 'VOLUME_IN_USE' ? EXIT_IN_USE : EXIT_ERROR),
    );
  },

  /** podman 6.1's verb (4.3 has none): silent on success, as podman's renames are. */
  async rename(argv, call) {
    const { positionals } = parse(argv, {});
    exactly(2, positionals);
    await call('volume.rename', { name: positionals[0]!, to: positionals[1]! });
    return 0;
  },

  /** Changes what can change after create: --opt (all options, checked as create checks them), --label, --mount-at. */
  async set(argv, call, io) {
    const { values, positionals } = parse(argv, { 'mount-at': { type: 'string' }, opt: { type: 'string', short: 'o', multiple: true }, label: { type: 'string', short: 'l', multiple: true } });
    const opts = list(values.opt);
    const labels = list(values.label);
    if (positionals.length !== 1 || (values['mount-at'] === undefined && !opts.length && !labels.length)) throw invalidRequest('volume set takes --opt KEY=VALUE, --label KEY=VALUE or --mount-at manual|login, and exactly one NAME');
    const v = await call('volume.set', {
      name: positionals[0]!,
      ...(values['mount-at'] === undefined ? {} : { mountAt: mountPolicy(values['mount-at']) }),
      ...(opts.length ? { options: parsePairs(opts, 'opt') } : {}),
      ...(labels.length ? { labels: parsePairs(labels, 'label') } : {}),
    });
    io.out(`${v.Name}: mount at ${v.MountAt}`);
    return 0;
  },

  /** What the autostart entry runs at login; with --notify, failures also reach the desktop. */
  async restore(argv, call, io) {
    const { values } = parse(argv, { notify: { type: 'boolean' } });
    const items = await call('volume.restore', {});
    const failed = items.filter((i) => i.Result === 'failed');
    for (const i of items) {
      if (i.Error) io.err(formatGuidedError(i.Error, i.Name, io.explain));
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
    for (const e of report.Errors) io.err(formatGuidedError(e.Error, e.Volume ?? e.Driver, io.explain));
    return report.Errors.length ? EXIT_ERROR : 0;
  },

  /**
   * podman's question: the volumes that would go, listed, and y/N read from standard input,
   * a terminal or not (a script answers with `<<< y`; no answer is no).
   */
  async prune(argv, call, io) {
    const { values } = parse(argv, { force: { type: 'boolean', short: 'f' }, filter: { type: 'string', multiple: true } });
    const filters: { label?: string[]; until?: string } = {};
    for (const pair of list(values.filter)) {
      const eq = pair.indexOf('=');
      const key = pair.slice(0, Math.max(eq, 0));
      if (key === 'label') (filters.label ??= []).push(pair.slice(eq + 1));
      else if (key === 'until') filters.until = pair.slice(eq + 1);
      else throw invalidRequest(`${JSON.stringify(eq < 0 ? pair : key)} is an invalid volume filter`);
    }
    if (values.force !== true) {
      const { engine, here } = podmanFilters([...(filters.label ?? []).map((l) => `label=${l}`), ...(filters.until ? [`until=${filters.until}`] : [])]);
      const unused = (await call('volume.list', { filters: engine })).filter((v) => here.every((f) => f(v)) && v.MountCount === 0 && !v.Mounted);
      io.out(['WARNING! This will remove all volumes not used by at least one container. The following volumes will be removed:', ...unused.map((v) => v.Name)].join('\n'));
      io.write('Are you sure you want to continue? [y/N] ');
      if (!/^y(es)?$/i.test((await io.readLine()).trim())) return 0;
    }
    return report(await call('volume.prune', { filters }), io, (i) => i.name);
  },
};

// podman's other spellings of the same verbs.
volumeCommands.list = volumeCommands.ls!;
volumeCommands.remove = volumeCommands.rm!;
