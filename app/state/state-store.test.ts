import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import fs from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openLayout } from './layout.js';
import { StateStore } from './state-store.js';
import { tempDir } from '../../test/helpers/fixtures.js';

let cleanup = () => {};
afterEach(() => cleanup());

function store(bootId?: () => string | undefined) {
  const t = tempDir();
  cleanup = t.cleanup;
  return bootId ? new StateStore(openLayout(t.dir), undefined, bootId) : new StateStore(openLayout(t.dir));
}

describe('the state store', () => {
  it('starts empty and writes conf\'s format (tab-indented JSON) atomically', async () => {
    const s = store();
    expect(s.read().volumes).toEqual({});
    await s.update((d) => {
      d.volumes.a = { name: 'a', driver: 'local', options: {}, labels: {}, createdAt: 'now', mountCount: 0 };
    });
    const text = readFileSync(s.layout.stateFile, 'utf8');
    expect(text).toContain('\n\t"volumes"');
    expect(s.read().volumes.a?.name).toBe('a');
  });

  it('sets a corrupted file aside with a clear message instead of wiping it', () => {
    const s = store();
    writeFileSync(s.layout.stateFile, '{"version":1,"volumes":{"a":');
    let error: unknown;
    try {
      s.read();
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'STATE_CORRUPT' });
    const aside = readdirSync(s.layout.dir).find((f) => f.startsWith('volumes.json.corrupt-'));
    expect(aside).toBeDefined();
    expect(readFileSync(`${s.layout.dir}/${aside}`, 'utf8')).toBe('{"version":1,"volumes":{"a":');
    expect((error as Error).message).toContain('volumes.json');
    expect(existsSync(s.layout.stateFile)).toBe(false);
    expect(s.read().volumes).toEqual({});
  });

  it('refuses a document that breaks the schema', () => {
    const s = store();
    writeFileSync(s.layout.stateFile, JSON.stringify({ version: 1, volumes: { a: { name: 'b' } } }));
    expect(() => s.read()).toThrow(/name does not match its key/);
  });

  it('refuses a stored name that would lead out of the volumes directory', () => {
    const s = store();
    const rec = { name: '../../etc', driver: 'local', options: {}, labels: {}, createdAt: 'now', mountCount: 0 };
    writeFileSync(s.layout.stateFile, JSON.stringify({ version: 1, volumes: { '../../etc': rec } }));
    expect(() => s.read()).toThrow(/volumes\["\.\.\/\.\.\/etc"\] is not a valid volume name/);
    expect(existsSync(s.layout.stateFile)).toBe(false);
  });

  it('forgets the counters of another boot before any change, and only then', async () => {
    let boot = 'boot-1';
    const s = store(() => boot);
    const rec = (name: string) => ({ name, driver: 'plugin', options: {}, labels: {}, createdAt: 'now', mountCount: 2, mountpoint: `/p/${name}` });
    await s.update((d) => {
      d.volumes.a = rec('a');
    });
    expect(s.read()).toMatchObject({ bootId: 'boot-1', volumes: { a: { mountCount: 2, mountpoint: '/p/a' } } });
    expect(s.fromAnotherBoot()).toBe(false);
    boot = 'boot-2';
    expect(s.fromAnotherBoot()).toBe(true);
    await s.update((d) => {
      d.volumes.b = rec('b');
    });
    const after = s.read();
    expect(after.bootId).toBe('boot-2');
    expect(after.volumes.a).toMatchObject({ mountCount: 0 });
    expect(after.volumes.a!.mountpoint).toBeUndefined();
    expect(after.volumes.b).toMatchObject({ mountCount: 2 });
  });

  it('does not reset a state that never recorded a boot (written by an older version)', async () => {
    const s = store(() => 'boot-9');
    writeFileSync(s.layout.stateFile, JSON.stringify({ version: 1, volumes: { a: { name: 'a', driver: 'p', options: {}, labels: {}, createdAt: 'now', mountCount: 1 } } }));
    expect(s.fromAnotherBoot()).toBe(false);
    await s.update(() => undefined);
    expect(s.read()).toMatchObject({ bootId: 'boot-9', volumes: { a: { mountCount: 1 } } });
  });

  it('starts a change from the state it holds while the file is that version, and never changes that state', async () => {
    const s = store(() => 'boot-1');
    const rec = (name: string) => ({ name, driver: 'local', options: {}, labels: {}, createdAt: 'now', mountCount: 0 });
    await s.update((d) => {
      d.volumes.a = rec('a');
      d.volumes.b = rec('b');
    });
    const held = s.snapshot();
    // A mark only the held objects carry: a parse of the file would not have it.
    (held.volumes.a!.labels as Record<string, string>).mark = 'held';
    let seen: string | undefined;
    await expect(
      s.update((d) => {
        seen = d.volumes.a!.labels.mark;
        d.volumes.b!.mountCount = 3;
        d.volumes.a!.labels.team = 'db';
        throw new Error('the change fails half way');
      }),
    ).rejects.toThrow('half way');
    expect(seen).toBe('held');
    expect(held.volumes.b!.mountCount).toBe(0);
    expect(held.volumes.a!.labels).toEqual({ mark: 'held' });
    expect(s.snapshot()).toBe(held);
    await s.update((d) => void (d.volumes.b!.mountCount = 2));
    expect(held.volumes.b!.mountCount).toBe(0);
    expect(s.snapshot().volumes.b!.mountCount).toBe(2);
    expect(s.read().volumes.b!.mountCount).toBe(2);
    expect(s.read().volumes.a!.labels).toEqual({ mark: 'held' });
  });

  it('parses the file for a change once another process wrote it, and forgets another boot\'s counters on copies', async () => {
    let boot = 'boot-1';
    const s = store(() => boot);
    const rec = { name: 'a', driver: 'local', options: {}, labels: {}, createdAt: 'now', mountCount: 1 };
    await s.update((d) => void (d.volumes.a = rec));
    const held = s.snapshot();
    (held.volumes.a!.labels as Record<string, string>).mark = 'held';
    const other = new StateStore(s.layout, undefined, () => boot);
    await other.update((d) => void (d.volumes.a!.options.size = '1m'));
    let seen: unknown;
    await s.update((d) => void (seen = { ...d.volumes.a!.labels, ...d.volumes.a!.options }));
    expect(seen).toEqual({ size: '1m' });
    // Holds the file's version again, so that the next change starts from the held state.
    s.snapshot();
    boot = 'boot-2';
    await s.update((d) => void (seen = d.volumes.a!.mountCount));
    expect(seen).toBe(0);
    expect(held.volumes.a!.mountCount).toBe(1);
  });

  it('has conf write the store without reading it back first, and without a key of its own', async () => {
    const s = store();
    const rec = { name: 'a', driver: 'local', options: {}, labels: {}, createdAt: 'now', mountCount: 0 };
    await s.update((d) => void (d.volumes.a = rec));
    // conf reads through the module object of node:fs; this store reads through its own imports.
    const reads = vi.spyOn(fs, 'readFileSync');
    try {
      await s.update((d) => void (d.volumes.a!.mountCount = 1));
      expect(reads.mock.calls.filter(([file]) => String(file) === s.layout.stateFile)).toEqual([]);
    } finally {
      reads.mockRestore();
    }
    const text = readFileSync(s.layout.stateFile, 'utf8');
    expect(text).not.toContain('__internal__');
    expect(JSON.parse(text).volumes.a.mountCount).toBe(1);
  });
});
