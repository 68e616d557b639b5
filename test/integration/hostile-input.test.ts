// Names and option values carrying shell syntax go through every entry point (the API's
// dispatch, the engine, the command line): nothing runs, nothing is created outside the
// state directory, nothing changes.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dispatch, createHandlers } from '../../app/handlers/handlers.js';
import { readMountTable } from '../../app/system/mountinfo.js';
import { VolumeEngine } from '../../app/volume/engine.js';
import { cli } from '../helpers/cli.js';
import { needsRoot } from '../helpers/env.js';
import { tempDir } from '../helpers/fixtures.js';

needsRoot()('hostile input', () => {
  let t: ReturnType<typeof tempDir>;
  let state: string;
  let canary: string;
  const payloads = (canaryPath: string) => [
    `$(touch ${canaryPath})`,
    `\`touch ${canaryPath}\``,
    `x;touch ${canaryPath}`,
    `x' ; touch ${canaryPath} ; '`,
    `x" ; touch ${canaryPath} ; "`,
    `x\ntouch ${canaryPath}`,
    `x && touch ${canaryPath}`,
    `x | touch ${canaryPath}`,
    '../../../../etc',
    '/etc/passwd',
    '..',
    '$HOME',
  ];

  beforeAll(() => {
    t = tempDir();
    state = join(t.dir, 'state');
    canary = join(t.dir, 'pwned');
  });
  afterAll(() => t.cleanup());

  it('refuses every payload as a name, an option and a label value, through dispatch and the command line', async () => {
    const engine = new VolumeEngine({ stateDir: state });
    const api = createHandlers(engine);
    const mountsBefore = readMountTable().length;
    const rootBefore = readdirSync('/').sort();
    for (const p of payloads(canary)) {
      const asName = await dispatch(api, 'volume.create', { name: p });
      expect(asName.ok).toBe(false);
      for (const key of ['type', 'device', 'o', 'size', 'uid']) {
        // An absolute path is a valid device; mount, not the engine, decides what it holds.
        if (key === 'device' && p === '/etc/passwd') continue;
        const opts = key === 'type' ? { type: p } : { type: key === 'device' ? 'ext4' : 'tmpfs', [key]: p };
        const r = await dispatch(api, 'volume.create', { name: 'victim', options: opts });
        expect(r.ok, `${key}=${JSON.stringify(p)} was accepted`).toBe(false);
        if (!r.ok) expect(['INVALID_OPTION', 'INVALID_NAME']).toContain(r.error.code);
      }
      expect((await dispatch(api, 'volume.mount', { names: [p] })).ok).toBe(false);
      expect((await dispatch(api, 'nfs.exports', { server: p })).ok).toBe(false);
      expect(cli(state, ['volume', 'create', p]).code).toBe(125);
      expect(cli(state, ['volume', 'create', '--opt', `o=${p}`, '--opt', 'type=tmpfs', 'victim']).code).toBe(125);
      expect(cli(state, ['volume', 'mount', p]).code).toBe(125);
      expect(cli(state, ['volume', 'rm', '--force', p]).code).toBe(125);
      expect(cli(state, ['nfs', 'exports', p]).code).toBe(125);
    }
    // A label is data: it is stored verbatim when printable, and never reaches a command.
    const labelled = await dispatch(api, 'volume.create', { name: 'labelled', labels: { note: `$(touch ${canary})` } });
    expect(labelled.ok).toBe(true);
    expect((await dispatch(api, 'volume.mount', { names: ['labelled'] })).ok).toBe(true);
    expect((await dispatch(api, 'volume.create', { name: 'ctl', labels: { note: 'a\nb' } })).ok).toBe(false);

    expect(existsSync(canary)).toBe(false);
    expect(readMountTable().length).toBe(mountsBefore);
    expect(readdirSync('/').sort()).toEqual(rootBefore);
    expect(readdirSync(join(state, 'volumes'))).toEqual(['labelled']);
    expect(Object.keys(JSON.parse(readFileSync(join(state, 'volumes.json'), 'utf8')).volumes)).toEqual(['labelled']);
  });

  it('rejects unknown operations and malformed requests at the contract', async () => {
    const api = createHandlers(new VolumeEngine({ stateDir: state }));
    const unknown = await dispatch(api, 'constructor' as 'volume.list', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    const bad = await dispatch(api, 'volume.create', { name: 'ok', options: { type: ['tmpfs'] } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
  });
});
