// Bytes as people read them: the one formatter of the engine's messages, the command line and
// the window, in one convention everywhere: powers of 1000 (kB, MB, GB), as GNOME's Files and
// Disks, df -H and the archive tools' progress show them. The same data never reads "126 MB"
// in one place and "121 MiB" in another.

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const;

export function formatBytes(n: number): string {
  let v = n;
  let u = 0;
  while (v >= 1000 && u < UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? Math.round(v) : v.toFixed(v < 10 ? 1 : 0)} ${UNITS[u]}`;
}
