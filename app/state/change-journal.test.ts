// Two stores on one directory stand for two processes (the window and the command line): one
// writes, the other lists. That the reader caught up through the journal, and did not parse the
// file again, shows in the records it did not need to read: they are the same objects as before.

import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/fixtures.js';
import { openLayout } from './layout.js';
import type { VolumeRecord } from './schema.js';
import { StateStore } from './state-store.js';

let cleanup = () => {};
afterEach(() => cleanup());

const rec = (name: string, extra: Partial<VolumeRecord> = {}): VolumeRecord => ({ name, driver: 'local', options: {}, labels: {}, createdAt: 'T', mountCount: 0, ...extra });
const noBoot = () => undefined;

async function twoProcesses(n = 5) {
  const t = tempDir('vm-journal-');
  cleanup = t.cleanup;
  const writer = new StateStore(openLayout(t.dir), undefined, noBoot);
  const reader = new StateStore(openLayout(t.dir), undefined, noBoot);
  await writer.update((d) => {
    for (let i = 0; i < n; i++) d.volumes[`v${i}`] = rec(`v${i}`);
  });
  const journal = join(writer.layout.dir, 'volumes.changes');
  return { writer, reader, journal, before: reader.snapshot() };
}

describe('the change journal', () => {
  it('brings a reader up to date without parsing the file, sharing the records that did not change', async () => {
    const { writer, reader, before } = await twoProcesses();
    await writer.update((d) => {
      d.volumes.v1!.mountCount = 2;
      d.volumes.v9 = rec('v9');
      delete d.volumes.v3;
    });
    await writer.update((d) => void (d.volumes.v1!.labels.team = 'db'));
    const after = reader.snapshot();
    expect(after).toEqual(writer.read());
    expect(after.volumes.v1).toMatchObject({ mountCount: 2, labels: { team: 'db' } });
    expect(Object.keys(after.volumes).sort()).toEqual(['v0', 'v1', 'v2', 'v4', 'v9']);
    expect(after.volumes.v0).toBe(before.volumes.v0);
    expect(after.volumes.v4).toBe(before.volumes.v4);
    expect(before.volumes.v1!.mountCount).toBe(0);
    expect(statSync(join(writer.layout.dir, 'volumes.changes')).mode & 0o777).toBe(0o600);
  });

  it('holds its own write without reading the journal or the file again, as copies of what it wrote', async () => {
    const { writer, journal } = await twoProcesses();
    const before = writer.versionedSnapshot();
    let kept: VolumeRecord | undefined;
    await writer.update((d) => {
      d.volumes.v1!.mountCount = 2;
      d.volumes.v9 = kept = rec('v9');
      delete d.volumes.v3;
    });
    // Without a journal a reader parses the file, and no record would be the same object.
    rmSync(journal);
    kept!.mountCount = 5;
    const after = writer.versionedSnapshot();
    expect(after.data.volumes.v0).toBe(before.data.volumes.v0);
    expect(after.data.volumes.v9).toMatchObject({ mountCount: 0 });
    expect(after.data).toEqual(writer.read());
    expect(after.version).toBe(writer.fileVersion());
    expect([...writer.changedBetween(before.version, after.version)!].sort()).toEqual(['v1', 'v3', 'v9']);
  });

  it('parses after its own write where it did not hold the version that write was made to', async () => {
    const { writer, reader, journal } = await twoProcesses();
    const before = writer.snapshot();
    await reader.update((d) => void (d.volumes.v2!.mountCount = 1));
    await writer.update((d) => void (d.volumes.v1!.mountCount = 2));
    rmSync(journal);
    const after = writer.snapshot();
    expect(after.volumes.v0).not.toBe(before.volumes.v0);
    expect(after.volumes.v2).toMatchObject({ mountCount: 1 });
    expect(after.volumes.v1).toMatchObject({ mountCount: 2 });
  });

  it('parses the file when a program that is not this app rewrote it', async () => {
    const { writer, reader, before } = await twoProcesses();
    const file = writer.layout.stateFile;
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    doc.volumes.v2.mountCount = 7;
    writeFileSync(`${file}.new`, JSON.stringify(doc));
    renameSync(`${file}.new`, file);
    const after = reader.snapshot();
    expect(after.volumes.v2!.mountCount).toBe(7);
    expect(after.volumes.v0).not.toBe(before.volumes.v0);
  });

  it('never takes a record from the journal that the file itself would be refused for', async () => {
    const { writer, reader, journal, before } = await twoProcesses();
    await writer.update((d) => void (d.volumes.v1!.mountCount = 1));
    // The same user's other program forges the last line: a name outside volumes/, a bad count.
    const lines = readFileSync(journal, 'utf8').trimEnd().split('\n');
    const last = JSON.parse(lines.at(-1)!);
    last.changed = { '../../etc': rec('../../etc'), v1: { ...rec('v1'), mountCount: -1 } };
    writeFileSync(journal, [...lines.slice(0, -1), JSON.stringify(last)].join('\n') + '\n');
    const after = reader.snapshot();
    expect(after).toEqual(writer.read());
    expect(after.volumes['../../etc']).toBeUndefined();
    expect(after.volumes.v0).not.toBe(before.volumes.v0);
  });

  it('parses the file where the chain is broken: a line cut off, or a line that does not lead to the file', async () => {
    const { writer, reader, journal } = await twoProcesses();
    await writer.update((d) => void (d.volumes.v1!.mountCount = 1));
    const text = readFileSync(journal, 'utf8');
    writeFileSync(journal, text.slice(0, text.length - 10));
    const mid = reader.snapshot();
    expect(mid.volumes.v1!.mountCount).toBe(1);

    // The next line is not glued to the one cut off: the reader catches up through it.
    await writer.update((d) => void (d.volumes.v2!.mountCount = 1));
    expect(reader.snapshot().volumes.v0).toBe(mid.volumes.v0);
    expect(reader.snapshot().volumes.v2!.mountCount).toBe(1);

    await writer.update((d) => void (d.volumes.v2!.mountCount = 1));
    const lines = readFileSync(journal, 'utf8').trimEnd().split('\n');
    const last = JSON.parse(lines.at(-1)!);
    writeFileSync(journal, `${JSON.stringify({ ...last, to: 'elsewhere', changed: { v2: rec('v2', { mountCount: 9 }) } })}\n`);
    expect(reader.snapshot().volumes.v2!.mountCount).toBe(1);
  });

  it('says "read the whole file" for a change of many records, and starts again when it grows too long', async () => {
    const { writer, reader, journal, before } = await twoProcesses(300);
    await writer.update((d) => {
      for (const r of Object.values(d.volumes)) r.mountCount = 1;
    });
    expect(JSON.parse(readFileSync(journal, 'utf8').trimEnd().split('\n').at(-1)!).changed).toBeNull();
    const after = reader.snapshot();
    expect(after.volumes.v299!.mountCount).toBe(1);
    expect(after.volumes.v0).not.toBe(before.volumes.v0);

    const label = 'x'.repeat(2000);
    for (let i = 0; i < 40; i++) await writer.update((d) => void (d.volumes[`v${i}`]!.labels.note = `${i}${label}`));
    expect(statSync(journal).size).toBeLessThanOrEqual(64 * 1024);
    expect(reader.snapshot()).toEqual(writer.read());
  });

  it('keeps a write whose journal line cannot be written: readers parse the file instead', async () => {
    const { writer, reader, journal } = await twoProcesses();
    // A folder where the journal would be: every append fails, and the writes go on.
    renameSync(journal, `${journal}.old`);
    mkdirSync(journal);
    await writer.update((d) => void (d.volumes.v4!.mountCount = 3));
    expect(reader.snapshot().volumes.v4!.mountCount).toBe(3);
  });
});
