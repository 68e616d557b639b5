// The only commands the engine ever runs with privilege, and the only token shapes it
// passes them. Steps are argv arrays; the elevated runner additionally single-quotes
// each token, which is safe only because these patterns exclude every character that
// /bin/sh or bash would interpret inside the quoting sudo-prompt adds.

import { invalidOption } from '../errors/catalogue.js';

export const ALLOWED_BINARIES = ['mount', 'umount', 'mkdir', 'chown'] as const;
export type AllowedBinary = (typeof ALLOWED_BINARIES)[number];

export interface Step {
  bin: AllowedBinary;
  args: string[];
}

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

/** No quote, $, backtick, backslash, newline or shell operator can pass. */
const SAFE_TOKEN = /^[A-Za-z0-9_.\/:@+,=%-]+$/;

export function assertSafeStep(step: Step): void {
  if (!(ALLOWED_BINARIES as readonly string[]).includes(step.bin)) {
    throw invalidOption(`refusing to run ${JSON.stringify(step.bin)}: not one of ${ALLOWED_BINARIES.join(', ')}`);
  }
  for (const arg of step.args) {
    if (!SAFE_TOKEN.test(arg)) {
      throw invalidOption(`refusing to pass ${JSON.stringify(arg)} to ${step.bin}: it contains characters outside [A-Za-z0-9_./:@+,=%-]`, 'Paths with spaces or quotes cannot be mounted safely; choose a state directory and sources without them (--state-dir).');
    }
  }
}

export const describeStep = (step: Step) => [step.bin, ...step.args].join(' ');
