// The script polkit runs as root: a header of constants, then root-prelude.sh, whose
// comment states the guarantees it holds, then one checked call per step. The shell lives
// in its .sh file (shellcheck passes it); this module only joins the parts, and quotes.

import { ELEVATED_ROOT } from './elevated-targets.js';
import { DISK_TYPES, SAFE_TOKEN, type Step } from './commands.js';
import { SYSTEM_DIRS } from './system-bin.js';
import preludeText from './root-prelude.sh?raw';

/** What the script prints before every refusal of its own, for the driver to classify. */
export const ROOT_REFUSAL = 'volume-manager (root): ';

/**
 * One shell word holding `value`, single-quoted: the only quoting the root scripts use. The
 * values are this module's constants and tokens SAFE_TOKEN allows, so a quote inside is a bug.
 */
export function quote(value: string): string {
  if (value.includes("'")) throw new Error(`refusing to quote ${JSON.stringify(value)} for the root script`);
  return `'${value}'`;
}

/** `NAME='value'` lines, for the constants a script's functions read. */
export const assignments = (vars: Record<string, string>) =>
  Object.entries(vars)
    .map(([k, v]) => `${k}=${quote(v)}`)
    .join('\n');

/** The functions every batch starts with; no value of the request appears in it. */
export function prelude(stopBetweenCheckAndAct: boolean): string {
  const header = `set -u
export LC_ALL=C
PATH=${SYSTEM_DIRS.join(':')}
umask 022
exec </dev/null
${assignments({ VM_REFUSAL: ROOT_REFUSAL, VM_ROOT: ELEVATED_ROOT, VM_SAFE_TOKEN: SAFE_TOKEN.source, VM_DISK_TYPES: DISK_TYPES.join(','), vm_stop: stopBetweenCheckAndAct ? '1' : '0' })}
`;
  return header + preludeText;
}

/** One step as a call into the prelude's checked functions. */
export function callOf(step: Step): string {
  if (step.op === 'umount') return ['vm_umount', quote(step.target), step.lazy ? 'lazy' : 'plain'].join(' ');
  return ['vm_mount', quote(step.target), quote(step.type ?? (step.via === 'dir' ? 'none' : 'auto')), quote(step.options.join(',')), quote(step.source), quote(step.via)].join(' ');
}
