import { describe, expect, it } from 'vitest';
import { formatBytes } from './bytes.js';

describe('bytes as people read them', () => {
  it('in powers of 1000 (archives, transfers, removals)', () => {
    expect([0, 999, 1000, 1500, 126_000_000, 9_990_000, 3e12].map((n) => formatBytes(n))).toEqual(['0 B', '999 B', '1.0 kB', '1.5 kB', '126 MB', '10.0 MB', '3.0 TB']);
  });
  it('in powers of 1024 (the space a mounted volume uses)', () => {
    expect([formatBytes(0, 'iec'), formatBytes(1023, 'iec'), formatBytes(1536, 'iec'), formatBytes(10 * 1024 * 1024, 'iec'), formatBytes(5 * 1024 ** 4, 'iec')]).toEqual(['0 B', '1023 B', '1.5 KiB', '10 MiB', '5.0 TiB']);
  });
});
