import { argvOf, assertSafeStep, type Job, type JobResult, type StepResult } from './commands.js';
import { execArgv } from './exec-argv.js';

export interface Runner {
  /** Runs every job (one per volume) in one go; one password prompt at most. */
  run(jobs: Job[]): Promise<JobResult[]>;
  readonly elevated: boolean;
}

/** For a process that is already root: each step is its own process, no shell. */
export class DirectRunner implements Runner {
  readonly elevated = false;

  async run(jobs: Job[]): Promise<JobResult[]> {
    jobs.flat().forEach(assertSafeStep);
    const results: JobResult[] = [];
    for (const job of jobs) {
      const steps: StepResult[] = [];
      let error = '';
      for (const step of job) {
        const { bin, args } = argvOf(step);
        const r = await execArgv(bin, args);
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
