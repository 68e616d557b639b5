import { describe, expect, it } from 'vitest';
import { execArgv, execArgvBlocking } from './exec-argv.js';

// The blocking form stands in for the other in a command-line verb: the same answers, but for
// the order of stdout and stderr in `output`.
describe('execArgv and execArgvBlocking answer alike', () => {
  const forms = [
    ['execArgv', execArgv],
    ['execArgvBlocking', async (file: string, args: string[], opts?: { timeoutMs?: number }) => execArgvBlocking(file, args, opts)],
  ] as const;

  for (const [name, run] of forms) {
    it(`${name}: exit code, stdout apart, both streams in output, no shell`, async () => {
      const r = await run('/bin/sh', ['-c', 'echo out; echo err >&2; exit 3']);
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('out\n');
      expect(r.output.split('\n').sort()).toEqual(['err', 'out']);
      expect(r.timedOut).toBe(false);
      expect(r.spawnError).toBeUndefined();
      const literal = await run('/bin/echo', ['$(id)', ';', 'x']);
      expect(literal.stdout).toBe('$(id) ; x\n');
    });

    it(`${name}: a missing program is a spawn error, not an exit code`, async () => {
      const r = await run('/nonexistent/volume-manager-test', []);
      expect(r.code).toBeNull();
      expect(r.spawnError?.code).toBe('ENOENT');
    });

    it(`${name}: a program past its time is killed and said to have timed out`, async () => {
      const started = Date.now();
      const r = await run('/bin/sleep', ['10'], { timeoutMs: 200 });
      expect(r.timedOut).toBe(true);
      expect(r.code).not.toBe(0);
      expect(Date.now() - started).toBeLessThan(5000);
    });

    it(`${name}: runs in the C locale`, async () => {
      const r = await run('/bin/sh', ['-c', 'echo "$LC_ALL"']);
      expect(r.stdout).toBe('C\n');
    });
  }
});
