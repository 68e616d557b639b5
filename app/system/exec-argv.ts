// Runs one program with an argv array and no shell. Node's spawn gives the same guarantee
// execa does; execa itself was measured to add ~50 ms to every command-line call here
// (bundled, on Node 20), which the start-up target cannot absorb.

export interface ArgvResult {
  code: number | null;
  /** stdout and stderr interleaved as they arrived. */
  output: string;
  stdout: string;
  timedOut: boolean;
  /** Set when the program could not be started (ENOENT for a missing binary). */
  spawnError?: NodeJS.ErrnoException;
}

/**
 * `input`, when given, is written to the program's standard input, which is then closed.
 * `signal` ends the program and everything it started (its own process group) when aborted.
 * `ownSession` starts it in a session of its own (setsid): what it leaves running, such as a
 * FUSE daemon and its ssh, outlives this process and any signal to this process's group.
 */
export async function execArgv(file: string, args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv; input?: string; signal?: AbortSignal; ownSession?: boolean } = {}): Promise<ArgvResult> {
  // Loaded on first use: the read-only verbs never run a program, and start faster without it.
  const { spawn } = await import('node:child_process');
  return new Promise((resolve) => {
    let output = '';
    let stdout = '';
    let timedOut = false;
    const child = spawn(file, args, {
      shell: false,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...opts.env, LC_ALL: 'C' },
      detached: opts.signal !== undefined || opts.ownSession === true,
    });
    const stop = () => {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        /* already gone */
      }
    };
    if (opts.signal?.aborted) stop();
    opts.signal?.addEventListener('abort', stop, { once: true });
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, opts.timeoutMs)
      : undefined;
    if (opts.input !== undefined) {
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(opts.input);
    }
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      output += d;
      stdout += d;
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ code: null, output: err.message, stdout, timedOut, spawnError: err });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', stop);
      resolve({ code, output: output.trim(), stdout, timedOut });
    });
  });
}

/**
 * execArgv for a process that does one thing and exits (a command-line verb run as root): the
 * program runs while this process waits, so neither node:net (the pipes of an async spawn)
 * nor the event loop is needed. Never in a process that serves others (the window, a host,
 * `plugin serve`, `remote serve`): nothing else runs while it waits. stdout and stderr are
 * read apart, so `output` is stdout followed by stderr rather than interleaved.
 */
export function execArgvBlocking(file: string, args: string[], opts: { timeoutMs?: number } = {}): ArgvResult {
  const { spawnSync } = process.getBuiltinModule('node:child_process');
  const r = spawnSync(file, args, {
    shell: false,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LC_ALL: 'C' },
    encoding: 'utf8',
    ...(opts.timeoutMs ? { timeout: opts.timeoutMs, killSignal: 'SIGKILL' as const } : {}),
  });
  const stdout = r.stdout ?? '';
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  if (r.error && !timedOut) return { code: null, output: r.error.message, stdout, timedOut, spawnError: r.error as NodeJS.ErrnoException };
  return { code: r.status, output: (stdout + (r.stderr ?? '')).trim(), stdout, timedOut };
}
