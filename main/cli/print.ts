// How the command line shows results and guided errors.

import type { GuidedErrorData } from '../../app/errors/guided-error.js';

export function formatGuidedError(e: GuidedErrorData, subject?: string): string {
  const lines = [`Error: ${e.title}${subject ? ` (${subject})` : ''}`, `  ${e.happened.split('\n').join('\n  ')}`, `Why: ${e.why}`, 'To fix it:'];
  e.steps.forEach((s, i) => {
    lines.push(`  ${i + 1}. ${s.text}`);
    if (s.command) lines.push(`       $ ${s.command}`);
  });
  lines.push(`[${e.code}]`);
  return lines.join('\n');
}

/** Left-aligned columns, podman's look. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]! + 2))).join('').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
