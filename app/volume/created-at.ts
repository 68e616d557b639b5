// When a volume was made, as podman stamps it: RFC 3339 with nanoseconds (Go's RFC3339Nano,
// trailing zeros of the fraction left out). The clock gives milliseconds; the monotonic clock
// gives the nanoseconds within them, so two volumes made in one millisecond still sort.

const base = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();

export function createdAtNow(): string {
  const ns = base + process.hrtime.bigint();
  const ms = Number(ns / 1_000_000n);
  const iso = new Date(ms).toISOString();
  const fraction = (ns % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${iso.slice(0, 19)}${fraction ? `.${fraction}` : ''}Z`;
}
