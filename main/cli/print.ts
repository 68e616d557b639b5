// How the command line shows results and guided errors. An error's first line is podman's:
// `Error: ` and podman's own words where podman has them, else what happened, on one line, so
// that scripts written for podman read what they expect. The guided explanation (the title,
// why, and the steps that fix it) follows where a person reads it: when standard error is a
// terminal, or when asked for (--explain, VOLUME_MANAGER_EXPLAIN=1).

import type { GuidedErrorData } from '../../app/errors/guided-error.js';

/** podman's one line for `e`. */
export const errorLine = (e: GuidedErrorData) => `Error: ${(e.podman ?? e.happened).split('\n').join(' ')}`;

export function formatGuidedError(e: GuidedErrorData, subject?: string, explain = true): string {
  if (!explain) return errorLine(e);
  const lines = [errorLine(e), `${e.title}${subject ? ` (${subject})` : ''}`];
  if (e.podman !== undefined || e.happened.includes('\n')) lines.push(`  ${e.happened.split('\n').join('\n  ')}`);
  lines.push(`Why: ${e.why}`, 'To fix it:');
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
