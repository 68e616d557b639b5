import { describe, expect, it } from 'vitest';
import { formatBytes } from './bytes.js';

describe('bytes as people read them', () => {
  it('in powers of 1000, for archives, transfers, removals and the space a volume uses alike', () => {
    expect([0, 999, 1000, 1500, 126_000_000, 9_990_000, 3e12].map((n) => formatBytes(n))).toEqual(['0 B', '999 B', '1.0 kB', '1.5 kB', '126 MB', '10.0 MB', '3.0 TB']);
    // A 16 MiB tmpfs reads in the same units as the 126 MB archive beside it.
    expect([16 * 1024 * 1024, 2 * 1024 * 1024, 1023].map((n) => formatBytes(n))).toEqual(['17 MB', '2.1 MB', '1.0 kB']);
  });
});
