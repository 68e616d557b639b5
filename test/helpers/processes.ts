// Process trees read from /proc, for tests that must find what a child of theirs started
// (the root script under runuser → node → sh → pkexec → bash) and act on it by PID only.

import { readdirSync, readFileSync } from 'node:fs';

interface Proc {
  pid: number;
  ppid: number;
  state: string;
}

function readProc(pid: number): Proc | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(ppid), state: state! };
  } catch {
    return undefined;
  }
}

/** Every live descendant of `root`. */
export function descendants(root: number): Proc[] {
  const all = readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .map((p) => readProc(Number(p)))
    .filter((p): p is Proc => p !== undefined);
  const found: Proc[] = [];
  let frontier = [root];
  while (frontier.length) {
    const next = all.filter((p) => frontier.includes(p.ppid));
    found.push(...next);
    frontier = next.map((p) => p.pid);
  }
  return found;
}

/** Waits until a descendant of `root` is stopped (state T) and returns it. */
export async function stoppedDescendant(root: number, timeoutMs = 20_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const stopped = descendants(root).find((p) => p.state === 'T');
    if (stopped) return stopped.pid;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no descendant of ${root} stopped within ${timeoutMs} ms`);
}
