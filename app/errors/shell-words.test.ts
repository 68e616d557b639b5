import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { quoted, shellWord } from './shell-words.js';

describe('words for a shell', () => {
  it('quotes what a shell would read, and leaves plain words alone', () => {
    expect(shellWord('/usr/bin/node')).toBe('/usr/bin/node');
    expect(shellWord('/home/me/My Apps/cli.cjs')).toBe(`'/home/me/My Apps/cli.cjs'`);
    expect(shellWord(`/tmp/it's;$(id)`)).toBe(`'/tmp/it'\\''s;$(id)'`);
    expect(quoted('/srv/data')).toBe(`'/srv/data'`);
  });

  it('reaches a shell as the one word it was', () => {
    const word = `it's $(id) \`x\` "y" ; *`;
    expect(spawnSync('sh', ['-c', `printf %s ${quoted(word)}`], { encoding: 'utf8' }).stdout).toBe(word);
  });
});
