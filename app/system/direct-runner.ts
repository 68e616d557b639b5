import { argvOf, assertSafeStep, type Job, type JobResult, type StepResult } from './commands.js';
import { execArgv, execArgvBlocking } from './exec-argv.js';
import { systemBin } from './system-bin.js';

export interface Runner {
  /** Runs every job (one per volume) in one go; one password prompt at most. */
  run(jobs: Job[]): Promise<JobResult[]>;
  readonly elevated: boolean;
  /** Runs a root script (root-script.ts) as root, one password prompt at most; returns its output. */
  runScript(script: string, started?: string): Promise<string>;
}

/** Runs a script with this process's own rights; its output, stdout and stderr interleaved. */
export async function runBash(script: string, signal?: AbortSignal): Promise<string> {
  return (await execArgv('/bin/bash', ['-c', script], signal ? { signal } : {})).output;
}

/**
 * For a process that is already root: each step is its own process, no shell. `blocking` is
 * for a process that does one thing and exits (see execArgvBlocking).
 */
export class DirectRunner implements Runner {
  readonly elevated = false;

  constructor(private readonly opts: { blocking?: boolean } = {}) {}

  runScript(script: string): Promise<string> {
    return runBash(script);
  }

  async run(jobs: Job[]): Promise<JobResult[]> {
    jobs.flat().forEach(assertSafeStep);
    const results: JobResult[] = [];
    for (const job of jobs) {
      const steps: StepResult[] = [];
      let error = '';
      for (const step of job) {
        const { bin, args } = argvOf(step);
        const file = systemBin(bin);
        const r = this.opts.blocking ? execArgvBlocking(file, args) : await execArgv(file, args);
        const ok = r.code === 0;
        steps.push({ step, ok, output: r.output });
        if (!ok) {
          error = r.output || `${bin} exited with ${r.code}`;
          break;
        }
      }
      results.push({ ok: error === '' && steps.length === job.length, steps, error });
    }
    return results;
  }
}
