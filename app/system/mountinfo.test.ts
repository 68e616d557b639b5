import { describe, expect, it } from 'vitest';
import { parseMountinfo } from './mountinfo.js';

describe('mountinfo', () => {
  it('parses fields and unescapes octal sequences', () => {
    const text = [
      '22 1 0:21 / / rw,relatime shared:1 - ext4 /dev/vda rw',
      '41 22 0:38 / /tmp/a\\040b/_data rw,relatime - tmpfs tmpfs rw,size=16384k',
    ].join('\n');
    const [root, vol] = parseMountinfo(text);
    expect(root).toMatchObject({ mountpoint: '/', fstype: 'ext4', source: '/dev/vda' });
    expect(vol).toMatchObject({ mountpoint: '/tmp/a b/_data', fstype: 'tmpfs', options: 'rw,relatime,rw,size=16384k' });
  });
});
