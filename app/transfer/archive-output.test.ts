import { describe, expect, it } from 'vitest';
import { readArchiveOutput } from './archive-output.js';

const ctx = { op: 'import' as const, name: 'data', mountpoint: '/m', file: 'a.tar' };

describe('readArchiveOutput', () => {
  it('counts what was imported', () => {
    expect(readArchiveOutput(ctx, '@@vm-done 12\n')).toEqual({ ok: true, entries: 12 });
  });

  it('names each refused entry once, with its reason', () => {
    const r = readArchiveOutput(ctx, '@@vm-refused device\tnull2\n@@vm-tar null2: Cannot mknod\n@@vm-refused device\tnull2\n@@vm-refused absolute\t/etc/x\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('ARCHIVE_ENTRY_REFUSED');
    expect(r.error.happened).toBe('refused 2 entries: null2 (a device node); /etc/x (an absolute path)');
  });

  it('tells a truncated archive, a foreign file and a compressed one apart', () => {
    const code = (out: string) => {
      const r = readArchiveOutput(ctx, out);
      return r.ok ? 'ok' : r.error.code;
    };
    expect(code('@@vm-tar Unexpected EOF in archive\n')).toBe('ARCHIVE_TRUNCATED');
    expect(code('@@vm-tar This does not look like a tar archive\n')).toBe('ARCHIVE_UNREADABLE');
    const gz = readArchiveOutput(ctx, '@@vm-tar Archive is compressed. Use -z option\n');
    expect(!gz.ok && gz.error.title).toBe('The archive is compressed');
  });

  it('reports a full volume, a non-empty one, and the root side refusing the path', () => {
    const r1 = readArchiveOutput(ctx, '@@vm-tar big: Cannot write: No space left on device\n');
    expect(!r1.ok && r1.error.code).toBe('VOLUME_FULL');
    const r4 = readArchiveOutput(ctx, '@@vm-tar big: Wrote only 4608 of 10240 bytes\n');
    expect(!r4.ok && r4.error.code).toBe('VOLUME_FULL');
    const r2 = readArchiveOutput(ctx, '@@vm-not-empty 3 4096\n');
    expect(!r2.ok && r2.error.happened).toBe('data holds 3 files and folders (4.1 kB)');
    const r3 = readArchiveOutput(ctx, 'volume-manager (root): /m is not mounted\n');
    expect(!r3.ok && r3.error.code).toBe('TARGET_REFUSED');
  });

  it('never calls a script that said nothing a success', () => {
    const r = readArchiveOutput(ctx, '');
    expect(r.ok).toBe(false);
  });
});
