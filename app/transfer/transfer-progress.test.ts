import { expect, it } from 'vitest';
import { progressOf } from './transfer-progress.js';

it('reports progress at most every progressMs, with the total when known', () => {
  const seen: unknown[] = [];
  const report = progressOf(1000, { onProgress: (p) => seen.push(p), progressMs: 60_000 });
  expect(report(10)).toBe(true);
  expect(report(20)).toBe(true);
  expect(seen).toEqual([{ Bytes: 10, Total: 1000 }]);
});
