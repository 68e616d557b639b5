// Runs the built command line as a separate process, as a person or a script would.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const CLI = resolve(import.meta.dirname, '../../dist/cli.mjs');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function assertBuilt(cli: string) {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first (npm test does)`);
}

export function cli(stateDir: string, args: string[], opts: { user?: string; cliPath?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const path = opts.cliPath ?? CLI;
  assertBuilt(path);
  const argv = [process.execPath, path, '--state-dir', stateDir, ...args];
  const [file, ...rest] = opts.user ? ['runuser', '-u', opts.user, '--', ...argv] : argv;
  const r = spawnSync(file!, rest, { encoding: 'utf8', env: { ...process.env, ...opts.env }, cwd: '/' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function cliAsync(stateDir: string, args: string[]): Promise<CliResult> {
  assertBuilt(CLI);
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, '--state-dir', stateDir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
