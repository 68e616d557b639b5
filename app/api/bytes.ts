// Bytes as people read them: the one formatter of the engine's messages, the command line and
// the window. Two scales, for now as before: `si`, powers of 1000 as df -H and file managers
// show (archives, transfers, what a removal deletes); `iec`, powers of 1024 as df -h shows
// (the space a mounted volume uses). The window's second pass settles on one.

const SCALES = {
  si: { base: 1000, units: ['B', 'kB', 'MB', 'GB', 'TB'] },
  iec: { base: 1024, units: ['B', 'KiB', 'MiB', 'GiB', 'TiB'] },
} as const;

export function formatBytes(n: number, scale: keyof typeof SCALES = 'si'): string {
  const { base, units } = SCALES[scale];
  let v = n;
  let u = 0;
  while (v >= base && u < units.length - 1) {
    v /= base;
    u++;
  }
  return `${u === 0 ? Math.round(v) : v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}
