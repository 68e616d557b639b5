import { describe, expect, it } from 'vitest';
import { createdAtNow } from './created-at.js';

describe('a volume\'s CreatedAt', () => {
  it('is RFC 3339 with nanoseconds, as podman stamps it, close to the clock', () => {
    const t = createdAtNow();
    expect(t).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/);
    expect(Math.abs(Date.parse(t) - Date.now())).toBeLessThan(2000);
  });
  it('orders two stamps taken one after the other', () => {
    const a = createdAtNow();
    const b = createdAtNow();
    const ns = (s: string) => BigInt(Date.parse(s.replace(/\.\d+Z$/, 'Z'))) * 1_000_000n + BigInt((/\.(\d+)Z$/.exec(s)?.[1] ?? '').padEnd(9, '0') || '0');
    expect(ns(b) > ns(a)).toBe(true);
  });
});
