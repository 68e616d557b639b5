// The window's list by changes, against a real engine over plain-directory volumes (no root):
// nothing is listed while nothing moved, only what changed is sent, and two windows at one
// Mark are each told what they have not seen.

import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VolumeEngine } from './engine.js';
import { ListChanges, sameJson } from './list-changes.js';

describe('volume.changes', () => {
  let dir: string;
  let engine: VolumeEngine;
  let changes: ListChanges;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vm-changes-'));
    engine = new VolumeEngine({ stateDir: dir, plugins: { socketDirs: [], specDirs: [], containersConfs: [] } });
    for (const n of ['a', 'b', 'c']) await engine.create({ name: n });
    changes = new ListChanges(engine);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('sends the whole list to a window that has none, or whose Mark is unknown', async () => {
    const first = await changes.since({});
    expect(first).toMatchObject({ Full: true, Removed: [] });
    expect(first.Volumes.map((v) => v.Name)).toEqual(['a', 'b', 'c']);
    expect((await changes.since({ since: 'abc123' })).Full).toBe(true);
  });

  it('lists nothing while the store and the mount table are as they were', async () => {
    const { Mark } = await changes.since({});
    const list = vi.spyOn(engine, 'list');
    expect(await changes.since({ since: Mark })).toEqual({ Mark, Full: false, Volumes: [], Removed: [] });
    expect(list).not.toHaveBeenCalled();
  });

  it('sends only the volumes that changed, were added, or went', async () => {
    const { Mark } = await changes.since({});
    // Another process (the command line) writes the store.
    const other = new VolumeEngine({ stateDir: dir, plugins: { socketDirs: [], specDirs: [], containersConfs: [] } });
    await other.create({ name: 'd' });
    await other.hold('b', 'c0'.repeat(32));
    await other.remove(['c']);
    const list = vi.spyOn(engine, 'list');
    const listOf = vi.spyOn(engine, 'listOf');
    const next = await changes.since({ since: Mark });
    // Only the store moved: only the records that differ are turned into views.
    expect(list).not.toHaveBeenCalled();
    expect(listOf.mock.calls).toEqual([[['b', 'd']]]);
    expect(next.Full).toBe(false);
    expect(next.Mark).not.toBe(Mark);
    expect(next.Volumes.map((v) => [v.Name, v.MountCount])).toEqual([
      ['b', 1],
      ['d', 0],
    ]);
    expect(next.Removed).toEqual(['c']);
  });

  it('compares every record where the store cannot say what changed (a program that is not this app rewrote it)', async () => {
    const { Mark } = await changes.since({});
    const file = join(dir, 'volumes.json');
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.volumes.b.labels = { team: 'db' };
    writeFileSync(`${file}.new`, JSON.stringify(doc));
    renameSync(`${file}.new`, file);
    const listOf = vi.spyOn(engine, 'listOf');
    const next = await changes.since({ since: Mark });
    expect(listOf.mock.calls).toEqual([[['b']]]);
    expect(next.Volumes.map((v) => [v.Name, v.Labels])).toEqual([['b', { team: 'db' }]]);
    // And through the journal again at the next write of this app.
    const other = new VolumeEngine({ stateDir: dir, plugins: { socketDirs: [], specDirs: [], containersConfs: [] } });
    await other.remove(['a']);
    expect(await changes.since({ since: next.Mark })).toMatchObject({ Volumes: [], Removed: ['a'] });
  });

  it('looks again when asked for a fresh look, and tells each of two windows at one Mark what it has not seen', async () => {
    const { Mark } = await changes.since({});
    const list = vi.spyOn(engine, 'list');
    const a = await changes.since({ since: Mark, fresh: true });
    expect(list).toHaveBeenCalledTimes(1);
    expect(a).toMatchObject({ Full: false, Volumes: [], Removed: [] });
    const other = new VolumeEngine({ stateDir: dir, plugins: { socketDirs: [], specDirs: [], containersConfs: [] } });
    await other.hold('a', 'c0'.repeat(32));
    // Window one catches up; window two, still at the first Mark, must still be told.
    expect((await changes.since({ since: a.Mark })).Volumes.map((v) => v.Name)).toEqual(['a']);
    expect((await changes.since({ since: Mark })).Volumes.map((v) => v.Name)).toEqual(['a']);
  });

  it('gives a first list built ahead to the first window that asks, once, while the store and the table are as it was built from', async () => {
    const list = vi.spyOn(engine, 'list');
    const building = changes.prepare();
    // Asked while it is still being built: the request waits for it instead of building another.
    const first = await changes.since({});
    await building;
    expect(list).toHaveBeenCalledTimes(1);
    expect(first).toMatchObject({ Full: true, Removed: [] });
    expect(first.Volumes.map((v) => v.Name)).toEqual(['a', 'b', 'c']);
    // Its Mark is a Mark like any other.
    expect(await changes.since({ since: first.Mark })).toEqual({ Mark: first.Mark, Full: false, Volumes: [], Removed: [] });
    // Given once: the next window's list is built for it.
    const second = await changes.since({});
    expect(list).toHaveBeenCalledTimes(2);
    expect(second.Mark).not.toBe(first.Mark);
  });

  it('does not give a first list built ahead after the store moved, nor one older than five seconds, nor to a fresh look', async () => {
    await changes.prepare();
    const other = new VolumeEngine({ stateDir: dir, plugins: { socketDirs: [], specDirs: [], containersConfs: [] } });
    await other.create({ name: 'd' });
    expect((await changes.since({})).Volumes.map((v) => v.Name)).toEqual(['a', 'b', 'c', 'd']);

    await changes.prepare();
    const list = vi.spyOn(engine, 'list');
    const now = Date.now();
    const clock = vi.spyOn(Date, 'now').mockReturnValue(now + 5001);
    try {
      await changes.since({});
    } finally {
      clock.mockRestore();
    }
    expect(list).toHaveBeenCalledTimes(1);

    await changes.prepare();
    expect(list).toHaveBeenCalledTimes(2);
    await changes.since({ fresh: true });
    expect(list).toHaveBeenCalledTimes(3);
  });
});

describe('sameJson', () => {
  it('compares JSON values by content, keys in any order', () => {
    expect(sameJson({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toBe(true);
    expect(sameJson({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(sameJson({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(sameJson({ a: {} }, { a: [] })).toBe(false);
    expect(sameJson({ Usage: { Used: 1, Size: 2 } }, { Usage: { Used: 3, Size: 2 } })).toBe(false);
    expect(sameJson(null, {})).toBe(false);
  });
});
