import { describe, expect, it } from 'vitest';
import { errorCode as code } from '../../test/helpers/fixtures.js';
import { assertVolumeName } from './names.js';

describe('volume names', () => {
  it.each(['a', 'data', 'my-vol_1.2', 'A9'])('accepts %s', (n) => expect(() => assertVolumeName(n)).not.toThrow());
  it.each(['', '-x', '.hidden', 'a/b', '../etc', 'a b', '$(id)', '`id`', "a'b", 'a;b', 'a\nb', 'x'.repeat(241)])('rejects %j', (n) =>
    expect(code(() => assertVolumeName(n))).toBe('INVALID_NAME'),
  );
  it('says which character is wrong', () => expect(() => assertVolumeName('ab$c')).toThrow(/character "\$" is not allowed/));
});
