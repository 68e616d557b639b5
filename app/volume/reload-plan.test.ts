import { describe, expect, it } from 'vitest';
import type { StateData, VolumeRecord } from '../state/schema.js';
import { planReload } from './reload-plan.js';

const rec = (name: string, driver: string, mountCount = 0): VolumeRecord => ({ name, driver, options: {}, labels: {}, createdAt: '2026-01-01T00:00:00.000Z', mountCount });
const state = (...recs: VolumeRecord[]): StateData => ({ version: 1, volumes: Object.fromEntries(recs.map((r) => [r.name, r])) });
const now = new Date('2026-11-26T12:00:00.000Z');

describe('planReload', () => {
  it('adds what a plugin lists and the state lacks, stamped with our own time', () => {
    const plan = planReload(new Map([['p', [{ Name: 'new' }, { Name: 'kept' }]]]), state(rec('kept', 'p')), now);
    expect(plan.add).toEqual([{ name: 'new', driver: 'p', options: {}, labels: {}, createdAt: '2026-11-26T12:00:00.000Z', mountCount: 0 }]);
    expect(plan.drop).toEqual([]);
    expect(plan.errors).toEqual([]);
  });

  it('drops what an answering plugin no longer lists, unless it is mounted', () => {
    const plan = planReload(new Map([['p', []]]), state(rec('gone', 'p'), rec('busy', 'p', 2), rec('other', 'silent'), rec('dir', 'local')), now);
    expect(plan.drop).toEqual(['gone']);
    expect(plan.errors).toEqual([{ Driver: 'p', Volume: 'busy', Error: expect.objectContaining({ code: 'VOLUME_IN_USE', happened: expect.stringContaining('mounted 2 time(s)') }) }]);
  });

  it('reports a name another driver has, and a name that is not a volume name, without adding them', () => {
    const plan = planReload(new Map([['p', [{ Name: 'taken' }, { Name: '../etc' }, { Name: 'x'.repeat(129) }]]]), state(rec('taken', 'local')), now);
    expect(plan.add).toEqual([]);
    expect(plan.errors.map((e) => [e.Volume?.slice(0, 8), e.Error.code])).toEqual([
      ['taken', 'VOLUME_EXISTS'],
      ['../etc', 'INVALID_NAME'],
      ['xxxxxxxx', 'INVALID_NAME'],
    ]);
    expect(plan.errors[0]!.Error.steps.map((s) => s.command).join(' ')).toContain('volume reload');
  });

  it('lets two plugins list the same new name: the first, by name, takes it and the second is told', () => {
    const plan = planReload(new Map([['b', [{ Name: 'v' }]], ['a', [{ Name: 'v' }]]]), state(), now);
    expect(plan.add.map((r) => r.driver)).toEqual(['a']);
    expect(plan.errors).toEqual([{ Driver: 'b', Volume: 'v', Error: expect.objectContaining({ code: 'VOLUME_EXISTS' }) }]);
  });
});
