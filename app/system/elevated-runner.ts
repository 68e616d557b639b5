// Runs jobs as root through @vscode/sudo-prompt (pkexec on Linux), all of one user action
// in a single call so the person sees one password prompt.
//
// sudo-prompt runs `/bin/bash -c "echo SUDOPROMPT; <command>"` through the user's /bin/sh and
// escapes only `"`, so the command must hold nothing /bin/sh would expand. The script itself
// (root-script.ts: checked functions, then one call per step) therefore travels as one base64
// token, decoded by root's bash: the outer shell sees only [A-Za-z0-9+/=], and the script may
// use bash as bash. Step results are read back from markers the script prints between steps,
// because the exit status of a batch says little.

import { elevationDenied, noPolkitAgent, notRootNoElevation } from '../errors/catalogue.js';
import { GuidedError } from '../errors/guided-error.js';
import { assertSafeStep, type Job, type JobResult, type StepResult } from './commands.js';
import type { Runner } from './direct-runner.js';
import { stopElevatedBetweenCheckAndAct } from './fault-points.js';
import { callOf, prelude } from './root-script.js';

const BEGIN = '@@vm-begin';
const OK = '@@vm-ok';

export type SudoExec = (cmd: string, opts: { name: string }, cb: (err?: Error, stdout?: string | Buffer, stderr?: string | Buffer) => void) => void;

const loadSudoExec = async (): Promise<SudoExec> => {
  const mod = (await import('@vscode/sudo-prompt')) as unknown as { exec?: SudoExec; default?: { exec: SudoExec } };
  return (mod.exec ?? mod.default!.exec) as SudoExec;
};

export interface ScriptOptions {
  /** Tests only: see fault-points.ts. */
  stopBetweenCheckAndAct?: boolean;
}

/** The root script for a batch: each job's steps chained with && so a job stops at its first failure. */
export function buildScript(jobs: Job[], opts: ScriptOptions = {}): string {
  jobs.flat().forEach(assertSafeStep);
  const calls = jobs.map((job, j) => {
    const chain = job.map((step, s) => `vm_step ${j}.${s} ${callOf(step)}`);
    return `${chain.join(' && ')} ; echo @@vm-end ${j}`;
  });
  return `${prelude(opts.stopBetweenCheckAndAct ?? false)}\n${calls.join('\n')}\n`;
}

/** What sudo-prompt is given: root's bash decodes the script and runs it (no stdin needed). */
export const commandFor = (script: string) => `/bin/bash <(echo ${Buffer.from(script, 'utf8').toString('base64')} | base64 -d)`;

/** Splits the batch output back into per-step results. */
export function parseScriptOutput(jobs: Job[], stdout: string): JobResult[] {
  const outputs = new Map<string, string[]>();
  const ok = new Set<string>();
  let current: string | null = null;
  for (const line of stdout.split('\n')) {
    const [marker, id] = line.trim().split(' ');
    if (marker === BEGIN && id) {
      current = id;
      outputs.set(id, []);
    } else if (marker === OK && id) {
      ok.add(id);
      current = null;
    } else if (marker === '@@vm-end') {
      current = null;
    } else if (current) {
      outputs.get(current)!.push(line);
    }
  }
  return jobs.map((job, j) => {
    const steps: StepResult[] = [];
    let error = '';
    for (let s = 0; s < job.length; s++) {
      const id = `${j}.${s}`;
      if (!outputs.has(id)) break;
      const output = outputs.get(id)!.join('\n').trim();
      const stepOk = ok.has(id);
      steps.push({ step: job[s]!, ok: stepOk, output });
      if (!stepOk) {
        error = output || `${job[s]!.op} failed`;
        break;
      }
    }
    if (!error && steps.length < job.length) error = 'the step did not run';
    return { ok: error === '', steps, error };
  });
}

/** sudo-prompt's three Linux failures, as guided errors. */
export function classifyElevationError(err: Error): GuidedError {
  const msg = err.message;
  if (/Unable to find pkexec/.test(msg)) return notRootNoElevation(msg);
  if (/No polkit authentication agent found/.test(msg)) return noPolkitAgent(msg);
  return elevationDenied(msg);
}

export class ElevatedRunner implements Runner {
  readonly elevated = true;

  constructor(private readonly sudoExec?: SudoExec) {}

  async run(jobs: Job[]): Promise<JobResult[]> {
    if (jobs.length === 0) return [];
    const script = buildScript(jobs, { stopBetweenCheckAndAct: stopElevatedBetweenCheckAndAct() });
    const stdout = await this.runScript(script, BEGIN);
    return parseScriptOutput(jobs, stdout);
  }

  /**
   * Runs a whole root script (root-script.ts's prelude and its checked calls) through one
   * password prompt and returns what it printed. `started` is a line the script prints once it
   * runs: seeing it, a failure is the script's, not the prompt's.
   */
  async runScript(script: string, started = '@@'): Promise<string> {
    const exec = this.sudoExec ?? (await loadSudoExec());
    // sudo-prompt embeds process.cwd() in its shell command; a working directory named
    // with shell syntax would run as this user. Every path here is absolute, so the
    // working directory does not matter and is moved somewhere with a known name.
    if (!/^[A-Za-z0-9_.\/-]*$/.test(process.cwd())) process.chdir('/');
    return new Promise<string>((resolve, reject) => {
      exec(commandFor(script), { name: 'Volume Manager' }, (err, out) => {
        const text = String(out ?? '');
        if (err && !text.includes(started)) reject(classifyElevationError(err));
        else resolve(text);
      });
    });
  }
}
