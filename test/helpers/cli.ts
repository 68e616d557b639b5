// Runs the built command line as a separate process, as a person or a script would.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const CLI = resolve(import.meta.dirname, '../../dist/cli.cjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function assertBuilt(cli: string) {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first (npm test does)`);
}

export interface CliOptions {
  user?: string;
  /** Standard input (a script's answer to a question); none by default. */
  input?: string;
  cliPath?: string;
  env?: NodeJS.ProcessEnv;
}

function argvFor(stateDir: string, args: string[], opts: CliOptions): [string, string[]] {
  const path = opts.cliPath ?? CLI;
  assertBuilt(path);
  const argv = [process.execPath, path, '--state-dir', stateDir, ...args];
  const [file, ...rest] = opts.user ? ['runuser', '-u', opts.user, '--', ...argv] : argv;
  return [file!, rest];
}

export function cli(stateDir: string, args: string[], opts: CliOptions = {}): CliResult {
  const [file, rest] = argvFor(stateDir, args, opts);
  const r = spawnSync(file, rest, { encoding: 'utf8', env: { ...process.env, ...opts.env }, cwd: '/', input: opts.input ?? '' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The command line as a child that runs on while the test acts; `pid` is the first process. */
export function cliChild(stateDir: string, args: string[], opts: CliOptions = {}): { pid: number; result: Promise<CliResult> } {
  const [file, rest] = argvFor(stateDir, args, opts);
  const child = spawn(file, rest, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env }, cwd: '/' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const result = new Promise<CliResult>((done) => child.on('close', (code) => done({ code, stdout, stderr })));
  return { pid: child.pid!, result };
}

export const cliAsync = (stateDir: string, args: string[]) => cliChild(stateDir, args).result;
