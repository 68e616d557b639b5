import { describe, expect, it } from 'vitest';
import { startFolder } from './start-folder.js';

const passwd = () => 'root:x:0:0:root:/root:/bin/bash\nann:x:1000:1000:Ann:/home/ann:/bin/bash\n';

describe('where the folder picker opens', () => {
  it.runIf(process.geteuid?.() === 0)("under sudo, at the home of the user who ran sudo, not root's", () => {
    expect(startFolder({ SUDO_USER: 'ann' }, passwd, () => '/root')).toBe('/home/ann');
  });
  it('without sudo, or with a user the passwd file does not know, at the engine\'s own home', () => {
    expect(startFolder({}, passwd, () => '/root')).toBe('/root');
    expect(startFolder({ SUDO_USER: 'nobody-here' }, passwd, () => '/root')).toBe('/root');
    expect(startFolder({ SUDO_USER: '../etc' }, passwd, () => '/root')).toBe('/root');
  });
});
