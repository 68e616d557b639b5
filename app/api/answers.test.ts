import { describe, expect, it } from 'vitest';
import { checkAnswer } from './answers.js';

const view = {
  Name: 'data',
  Driver: 'local',
  Mountpoint: '/v/data/_data',
  CreatedAt: '2026-11-29T17:00:00.1Z',
  Labels: { team: 'db' },
  Options: {},
  Scope: 'local',
  MountCount: 0,
  Mounted: false,
  MountAt: 'manual',
  NeedsMount: false,
  Kind: 'directory',
};

describe("another machine's answers", () => {
  it('pass when the contract allows them, rebuilt without what it does not name', () => {
    expect(checkAnswer('volume.list', [{ ...view, Sneaky: '\u001b]0;pwned\u0007' }])).toEqual([view]);
    expect(checkAnswer('volume.mount', [{ name: 'data', ok: false, error: { code: 'VOLUME_NOT_FOUND', title: 't', happened: 'h\nsecond line', why: 'w', steps: [{ text: 's', command: 'c' }] } }])).toHaveLength(1);
  });

  it('are refused when they are not the shape asked for', () => {
    for (const garbage of [null, 'text', 42, {}, [{ ...view, MountCount: -1 }], [{ ...view, Mounted: 'yes' }], [{ ...view, Scope: 'cluster' }], [{ ...view, Name: undefined }]]) {
      expect(() => checkAnswer('volume.list', garbage)).toThrow(/the other machine's answer is not one the contract allows/);
    }
  });

  it('refuse what would act on the terminal reading them, or point anywhere', () => {
    expect(() => checkAnswer('volume.list', [{ ...view, Name: '\u001b[2J' }])).toThrow(/control character/);
    expect(() => checkAnswer('volume.list', [{ ...view, Name: '../../etc' }])).toThrow(/not a volume name/);
    expect(() => checkAnswer('volume.list', [{ ...view, Labels: { a: 'x\u001b[31m' } }])).toThrow(/control character/);
    expect(() => checkAnswer('volume.mount', [{ name: 'd', ok: false, error: { code: 'rm -rf', title: 't', happened: 'h', why: 'w', steps: [] } }])).toThrow(/error code/);
    expect(() => checkAnswer('volume.inspect', [{ ...view, Status: JSON.parse('{"a":'.repeat(20) + '1' + '}'.repeat(20)) }])).toThrow(/nested too deep/);
  });

  it('are only checked for what is asked of another machine', () => {
    expect(() => checkAnswer('folder.list', {})).toThrow(/not asked of another machine/);
  });
});
