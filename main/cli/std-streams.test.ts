import { closeSync, openSync, readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/fixtures.js';
import { fdWriter, isTerminal } from './std-streams.js';

describe('fdWriter', () => {
  it('writes whole texts, multibyte ones included, in order, straight to the descriptor', () => {
    const t = tempDir('vm-fdwriter-');
    const fd = openSync(`${t.dir}/out`, 'w');
    try {
      let asked = 0;
      const write = fdWriter(fd, () => (asked++, new PassThrough()));
      write('ä→\n');
      write('x'.repeat(200_000));
      write('\nend\n');
      expect(asked).toBe(0);
      expect(readFileSync(`${t.dir}/out`, 'utf8')).toBe(`ä→\n${'x'.repeat(200_000)}\nend\n`);
    } finally {
      closeSync(fd);
      t.cleanup();
    }
  });

  it('goes to the stream for good once the descriptor fails, and loses nothing', () => {
    const stream = new PassThrough();
    let asked = 0;
    // A descriptor above any open one fails (EBADF), as a full non-blocking pipe would (EAGAIN).
    const write = fdWriter(1 << 30, () => (asked++, stream));
    write('one\n');
    write('two\n');
    expect(asked).toBe(1);
    expect(String(stream.read())).toBe('one\ntwo\n');
  });
});

describe('isTerminal', () => {
  it('says a file is not a terminal', () => {
    const t = tempDir('vm-isterminal-');
    const fd = openSync(`${t.dir}/f`, 'w');
    try {
      expect(isTerminal(fd)).toBe(false);
    } finally {
      closeSync(fd);
      t.cleanup();
    }
  });
});
