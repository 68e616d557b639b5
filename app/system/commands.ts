// The only things the engine ever does with privilege: mount one source on one target, and
// unmount one target. A step is a plan, not an argv: each runner renders it its own way
// (argv arrays as root, checked calls into the root script when elevated), so no runner
// has to parse a command line back to know what it is being asked to do.

import { invalidOption } from '../errors/catalogue.js';

export interface MountStep {
  op: 'mount';
  /** `-t` argument; absent where mount detects it (bind, device images). */
  type?: string;
  /** `-o` list, in order. */
  options: string[];
  source: string;
  target: string;
}

export interface UnmountStep {
  op: 'umount';
  target: string;
  /** Detach now and clean up when no longer busy (`umount -l`), podman's force. */
  lazy: boolean;
}

export type Step = MountStep | UnmountStep;

/** A sequence of steps for one volume; it stops at its first failing step. */
export type Job = Step[];

export interface StepResult {
  step: Step;
  ok: boolean;
  /** stdout and stderr of the step, interleaved, trimmed. */
  output: string;
}

export interface JobResult {
  ok: boolean;
  steps: StepResult[];
  /** The output of the failing step, or '' when all succeeded. */
  error: string;
}

/**
 * No quote, $, backtick, backslash, white space or shell operator can pass, and nothing that
 * starts with "-", so no value is ever read as an option of mount or umount.
 */
export const SAFE_TOKEN = /^[A-Za-z0-9_./:@+,=%][A-Za-z0-9_./:@+,=%-]*$/;

function assertToken(value: string, what: string, op: string): void {
  if (!SAFE_TOKEN.test(value)) {
    throw invalidOption(
      `refusing to pass ${JSON.stringify(value)} as the ${what} of ${op}: it must not start with "-" and may hold only [A-Za-z0-9_./:@+,=%-]`,
      'Paths with spaces or quotes cannot be mounted safely; choose sources without them.',
    );
  }
}

/** Checks every value of a step before any runner renders it. */
export function assertSafeStep(step: Step): void {
  if (step.op === 'mount') {
    if (step.type !== undefined) assertToken(step.type, 'type', 'mount');
    if (step.options.length) assertToken(step.options.join(','), 'options', 'mount');
    assertToken(step.source, 'source', 'mount');
    assertToken(step.target, 'target', 'mount');
  } else if (step.op === 'umount') {
    assertToken(step.target, 'target', 'umount');
  } else {
    throw invalidOption(`refusing to run ${JSON.stringify((step as { op: unknown }).op)}: only mount and umount are run`);
  }
}

/** The argv a root process runs for `step`: `--` ends the options before every path. */
export function argvOf(step: Step): { bin: 'mount' | 'umount'; args: string[] } {
  if (step.op === 'umount') return { bin: 'umount', args: [...(step.lazy ? ['-l'] : []), '--', step.target] };
  const args = [...(step.type ? ['-t', step.type] : []), ...(step.options.length ? ['-o', step.options.join(',')] : []), '--', step.source, step.target];
  return { bin: 'mount', args };
}
