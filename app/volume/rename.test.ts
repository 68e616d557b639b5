// podman 6.1's volume rename, on plain directories (no root needed): the data moves with the
// name, and nothing moves while anything holds the volume or the new name is taken.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VolumeEngine } from './engine.js';

describe('volume rename', () => {
  let dir: string;
  let engine: VolumeEngine;
  const stored = () => JSON.parse(readFileSync(join(dir, 'volumes.json'), 'utf8')).volumes;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vm-rename-'));
    engine = new VolumeEngine({ stateDir: dir, plugins: { socketDirs: [], specDirs: [], containersConfs: [] } });
    const v = await engine.create({ name: 'old', labels: { team: 'db' } });
    writeFileSync(join(v.Mountpoint, 'notes'), 'kept');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('moves the record and the data to the new name, keeping labels and the creation time', async () => {
    const before = stored().old;
    const v = await engine.rename('old', 'new');
    expect(v).toMatchObject({ Name: 'new', Labels: { team: 'db' }, CreatedAt: before.createdAt });
    expect(readFileSync(join(v.Mountpoint, 'notes'), 'utf8')).toBe('kept');
    expect(Object.keys(stored())).toEqual(['new']);
    expect(existsSync(join(dir, 'volumes', 'old'))).toBe(false);
  });

  it('refuses a taken name, a held volume, a missing one and a bad name, and moves nothing', async () => {
    await engine.create({ name: 'taken' });
    await expect(engine.rename('old', 'taken')).rejects.toMatchObject({ code: 'VOLUME_EXISTS' });
    await engine.hold('old', 'a'.repeat(64));
    await expect(engine.rename('old', 'free')).rejects.toMatchObject({ code: 'VOLUME_IN_USE' });
    await engine.release('old', 'a'.repeat(64));
    await expect(engine.rename('nope', 'free')).rejects.toMatchObject({ code: 'VOLUME_NOT_FOUND' });
    await expect(engine.rename('old', '../x')).rejects.toMatchObject({ code: 'INVALID_NAME' });
    expect(Object.keys(stored()).sort()).toEqual(['old', 'taken']);
    expect(readFileSync(join(dir, 'volumes', 'old', '_data', 'notes'), 'utf8')).toBe('kept');
  });

  it('never replaces a directory of the new name that is there already', async () => {
    const stray = join(dir, 'volumes', 'stray', '_data');
    mkdirSync(stray, { recursive: true });
    writeFileSync(join(stray, 'theirs'), 'theirs');
    await expect(engine.rename('old', 'stray')).rejects.toMatchObject({ code: 'INVALID_REQUEST', happened: expect.stringContaining('is there already') });
    expect(readFileSync(join(stray, 'theirs'), 'utf8')).toBe('theirs');
    expect(readFileSync(join(dir, 'volumes', 'old', '_data', 'notes'), 'utf8')).toBe('kept');
    expect(Object.keys(stored())).toEqual(['old']);
  });
});
