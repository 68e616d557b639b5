import { describe, expect, it } from 'vitest';
import { archiveEntriesRefused, archiveUnreadable, compressedArchive } from './archive-errors.js';

describe("archive errors speak of the person's file", () => {
  it("name the archive, quoted for the shell, in the commands, never the volume's name as a file", () => {
    const e = archiveEntriesRefused('imp', [{ entry: '../evil.txt', reason: 'dotdot' }], "my backup's.tar").toJSON();
    expect(e.steps[0]!.command).toBe(`tar -tvf 'my backup'\\''s.tar'`);
    expect(JSON.stringify(e)).not.toContain('imp.tar');
  });

  it('say "compressed" once, and the tool that reads the compression found', () => {
    const gz = compressedArchive('imp', 'gzip', 'backup.tar.gz').toJSON();
    expect(gz.title).toBe('The archive is compressed');
    expect(gz.happened).toBe('backup.tar.gz is a gzip file, not a plain tar archive');
    expect(gz.steps[0]!.command).toBe('zcat backup.tar.gz | volume-manager volume import imp -');
    expect(compressedArchive('imp', 'xz', 'b.xz').toJSON().steps[0]!.command).toBe('xzcat b.xz | volume-manager volume import imp -');
    expect(compressedArchive('imp', 'zstd', 'b.zst').toJSON().steps[0]!.command).toBe('zstdcat b.zst | volume-manager volume import imp -');
    expect(archiveUnreadable('imp', 'This does not look like a tar archive', 'x y').toJSON().steps[0]!.command).toBe("file 'x y'");
  });
});
