import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openLayout } from './layout.js';
import { StateStore } from './state-store.js';
import { tempDir } from '../../test/helpers/fixtures.js';

let cleanup = () => {};
afterEach(() => cleanup());

function store() {
  const t = tempDir();
  cleanup = t.cleanup;
  return new StateStore(openLayout(t.dir));
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
});
