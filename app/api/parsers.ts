// The shape checks of every request, run where the engine runs (never in the page or the
// preload, which must not be trusted with them); the engine then checks what they mean.

import { invalidRequest } from '../errors/catalogue.js';
import type { CreateRequest, ImportRequest, NamesRequest, Operation, RequestOf, TransferRequest } from './contract.js';
import type { MountPolicy } from './types.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function object(v: unknown, what: string, keys: readonly string[]): Record<string, unknown> {
  if (v === undefined) v = {};
  if (!isObject(v)) throw invalidRequest(`${what}: expected an object`);
  for (const k of Object.keys(v)) if (!keys.includes(k)) throw invalidRequest(`${what}: unknown field ${JSON.stringify(k)}`);
  return v;
}

function stringMap(v: unknown, what: string): Record<string, string> | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v) || !Object.values(v).every((x) => typeof x === 'string')) throw invalidRequest(`${what}: expected an object of strings`);
  return { ...(v as Record<string, string>) };
}

function strings(v: unknown, what: string, { min = 0, max = 10_000 } = {}): string[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw invalidRequest(`${what}: expected a list of strings`);
  if (v.length < min) throw invalidRequest(`${what}: at least ${min} expected`);
  if (v.length > max) throw invalidRequest(`${what}: at most ${max} allowed`);
  return [...v];
}

function optionalBool(v: unknown, what: string): boolean | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw invalidRequest(`${what}: expected true or false`);
  return v;
}

function string(v: unknown, what: string): string {
  if (typeof v !== 'string') throw invalidRequest(`${what}: expected a string`);
  return v;
}

const names = (v: unknown, op: string): NamesRequest => {
  const o = object(v, op, ['names']);
  return { names: strings(o.names, `${op}.names`, { min: 1 }) };
};

function policy(v: unknown, what: string): MountPolicy {
  if (v !== 'manual' && v !== 'login') throw invalidRequest(`${what}: expected "manual" or "login"`);
  return v;
}

/** Exactly one of a volume's name and a server's options. */
function sshServer(o: Record<string, unknown>, op: string): { name?: string; options?: Record<string, string> } {
  if ((o.name === undefined) === (o.options === undefined)) throw invalidRequest(`${op}: give either name or options`);
  return o.name !== undefined ? { name: string(o.name, `${op}.name`) } : { options: stringMap(o.options, `${op}.options`)! };
}

function createRequest(v: unknown, op: string): CreateRequest {
  const o = object(v, op, ['name', 'driver', 'options', 'labels', 'mountAt']);
  return {
    name: string(o.name, `${op}.name`),
    driver: o.driver === undefined ? undefined : string(o.driver, `${op}.driver`),
    options: stringMap(o.options, `${op}.options`),
    labels: stringMap(o.labels, `${op}.labels`),
    ...(o.mountAt === undefined ? {} : { mountAt: policy(o.mountAt, `${op}.mountAt`) }),
  };
}

const TRANSFER_ID = /^[A-Za-z0-9_-]{8,64}$/;

function transferId(v: unknown, what: string): string {
  const id = string(v, what);
  if (!TRANSFER_ID.test(id)) throw invalidRequest(`${what}: expected 8 to 64 of [A-Za-z0-9_-]`);
  return id;
}

/** What a host's export route or channel takes: a volume name and the page's transfer id. */
export function transferRequest(v: unknown, op: string): TransferRequest {
  const o = object(v, op, ['name', 'id']);
  return { name: string(o.name, `${op}.name`), id: transferId(o.id, `${op}.id`) };
}

/** What a host's import route or channel takes; `replace` is true or false. */
export function importRequest(v: unknown, op: string): ImportRequest {
  const o = object(v, op, ['name', 'id', 'replace']);
  return { ...transferRequest({ name: o.name, id: o.id }, op), replace: optionalBool(o.replace, `${op}.replace`) ?? false };
}

/** Shape checks per operation; the engine then checks meaning (names, options). */
export const parsers: { [K in Operation]: (raw: unknown) => RequestOf<K> } = {
  'volume.create': (v) => createRequest(v, 'volume.create'),
  'volume.validate': (v) => createRequest(v, 'volume.validate'),
  'volume.inspect': (v) => names(v, 'volume.inspect'),
  'volume.changes': (v) => {
    const o = object(v, 'volume.changes', ['since', 'fresh']);
    const since = o.since === undefined ? undefined : string(o.since, 'volume.changes.since');
    if (since !== undefined && !/^[0-9a-f]{1,64}$/.test(since)) throw invalidRequest('volume.changes.since: expected a mark the engine gave');
    const fresh = optionalBool(o.fresh, 'volume.changes.fresh');
    return { ...(since !== undefined ? { since } : {}), ...(fresh !== undefined ? { fresh } : {}) };
  },
  'volume.list': (v) => {
    const o = object(v, 'volume.list', ['filters']);
    if (o.filters === undefined) return {};
    const f = object(o.filters, 'volume.list.filters', ['name', 'driver', 'label', 'mounted', 'dangling']);
    const list = (k: string) => (f[k] === undefined ? undefined : strings(f[k], `volume.list.filters.${k}`));
    return {
      filters: {
        name: list('name'),
        driver: list('driver'),
        label: list('label'),
        mounted: optionalBool(f.mounted, 'volume.list.filters.mounted'),
        dangling: optionalBool(f.dangling, 'volume.list.filters.dangling'),
      },
    };
  },
  'volume.mount': (v) => names(v, 'volume.mount'),
  'volume.unmount': (v) => {
    const o = object(v, 'volume.unmount', ['names', 'force']);
    return { names: names({ names: o.names }, 'volume.unmount').names, force: optionalBool(o.force, 'volume.unmount.force') };
  },
  'volume.remove': (v) => {
    const o = object(v, 'volume.remove', ['names', 'force']);
    return { names: names({ names: o.names }, 'volume.remove').names, force: optionalBool(o.force, 'volume.remove.force') };
  },
  'volume.prune': (v) => {
    const o = object(v, 'volume.prune', ['filters']);
    if (o.filters === undefined) return {};
    const f = object(o.filters, 'volume.prune.filters', ['label', 'until']);
    return {
      filters: {
        ...(f.label === undefined ? {} : { label: strings(f.label, 'volume.prune.filters.label', { max: 100 }) }),
        ...(f.until === undefined ? {} : { until: string(f.until, 'volume.prune.filters.until') }),
      },
    };
  },
  'volume.contents': (v) => names(v, 'volume.contents'),
  'volume.reload': (v) => (object(v, 'volume.reload', []), {}),
  'volume.rename': (v) => {
    const o = object(v, 'volume.rename', ['name', 'to']);
    return { name: string(o.name, 'volume.rename.name'), to: string(o.to, 'volume.rename.to') };
  },
  'volume.set': (v) => {
    const o = object(v, 'volume.set', ['name', 'mountAt', 'options', 'labels']);
    const options = stringMap(o.options, 'volume.set.options');
    const labels = stringMap(o.labels, 'volume.set.labels');
    if (o.mountAt === undefined && options === undefined && labels === undefined) throw invalidRequest('volume.set: nothing to change: give mountAt, options or labels');
    return {
      name: string(o.name, 'volume.set.name'),
      ...(o.mountAt === undefined ? {} : { mountAt: policy(o.mountAt, 'volume.set.mountAt') }),
      ...(options === undefined ? {} : { options }),
      ...(labels === undefined ? {} : { labels }),
    };
  },
  'volume.restore': (v) => (object(v, 'volume.restore', []), {}),
  'volume.restoreFailures': (v) => (object(v, 'volume.restoreFailures', []), {}),
  'driver.list': (v) => (object(v, 'driver.list', []), {}),
  'driver.places': (v) => (object(v, 'driver.places', []), {}),
  'nfs.exports': (v) => ({ server: string(object(v, 'nfs.exports', ['server']).server, 'nfs.exports.server') }),
  'ssh.hostKeys': (v) => sshServer(object(v, 'ssh.hostKeys', ['name', 'options']), 'ssh.hostKeys'),
  'ssh.trust': (v) => {
    const o = object(v, 'ssh.trust', ['name', 'options', 'fingerprint']);
    const fingerprint = string(o.fingerprint, 'ssh.trust.fingerprint');
    if (!/^SHA256:[A-Za-z0-9+/]{43}$/.test(fingerprint)) throw invalidRequest('ssh.trust.fingerprint: expected SHA256: and 43 base64 characters, as ssh-keygen -l prints it');
    return { ...sshServer(o, 'ssh.trust'), fingerprint };
  },
  'ssh.folders': (v) => {
    const o = object(v, 'ssh.folders', ['options', 'path']);
    return { options: stringMap(o.options, 'ssh.folders.options') ?? {}, path: string(o.path, 'ssh.folders.path') };
  },
  'app.commandLine': (v) => (object(v, 'app.commandLine', []), {}),
  'transfer.cancel': (v) => ({ id: transferId(object(v, 'transfer.cancel', ['id']).id, 'transfer.cancel.id') }),
  'machine.list': (v) => (object(v, 'machine.list', []), {}),
  'machine.add': (v) => {
    const o = object(v, 'machine.add', ['name', 'url', 'identity']);
    return { name: string(o.name, 'machine.add.name'), url: string(o.url, 'machine.add.url'), ...(o.identity === undefined || o.identity === '' ? {} : { identity: string(o.identity, 'machine.add.identity') }) };
  },
  'containers.status': (v) => (object(v, 'containers.status', []), {}),
  'containers.serve': (v) => (object(v, 'containers.serve', []), {}),
  'containers.confChange': (v) => (object(v, 'containers.confChange', []), {}),
  'containers.confWrite': (v) => {
    const before = string(object(v, 'containers.confWrite', ['before']).before, 'containers.confWrite.before');
    if (before.length > 1_000_000) throw invalidRequest('containers.confWrite.before: longer than any containers.conf');
    return { before };
  },
  'folder.list': (v) => {
    const o = object(v, 'folder.list', ['path']);
    return o.path === undefined ? {} : { path: string(o.path, 'folder.list.path') };
  },
};

