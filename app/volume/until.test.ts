import { describe, expect, it } from 'vitest';
import { madeBefore, untilTime } from './until.js';

describe("podman's until=", () => {
  const now = Date.parse('2026-11-29T12:00:00Z');
  it('reads Go durations back from now, Unix seconds, dates and RFC 3339 times', () => {
    expect(untilTime('1h30m', now)).toBe(now - 90 * 60_000);
    expect(untilTime('10m', now)).toBe(now - 600_000);
    expect(untilTime('1700000000')).toBe(1_700_000_000_000);
    expect(untilTime('2000-01-01')).toBe(Date.parse('2000-01-01'));
    expect(untilTime('2026-11-29T11:00:00Z')).toBe(now - 3_600_000);
  });
  it('refuses anything else', () => {
    for (const bad of ['yesterday', '1d', '', '2026-13-45x']) expect(() => untilTime(bad)).toThrow(/invalid until filter/);
  });
  it('compares nanosecond stamps', () => {
    expect(madeBefore('2026-11-29T10:59:59.999999999Z', now - 3_600_000)).toBe(true);
    expect(madeBefore('2026-11-29T11:00:00.5Z', now - 3_600_000)).toBe(false);
  });
});
