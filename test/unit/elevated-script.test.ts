import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildScript, classifyElevationError, parseScriptOutput } from '../../app/system/elevated-runner.js';
import type { Job } from '../../app/system/commands.js';

const jobs: Job[] = [
  [{ bin: 'mount', args: ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', '/state/volumes/a/_data'] }],
  [{ bin: 'umount', args: ['/state/volumes/b/_data'] }],
];

describe('the sudo-prompt script', () => {
  it('contains nothing the outer /bin/sh would expand', () => {
    const script = buildScript(jobs);
    expect(script).not.toMatch(/[$`\\"]/);
    expect(script).toContain("'mount' '-t' 'tmpfs'");
  });

  it('refuses tokens and binaries outside the allowed set', () => {
    expect(() => buildScript([[{ bin: 'mount', args: ["x'; reboot; '"] }]])).toThrow(/refusing to pass/);
    expect(() => buildScript([[{ bin: 'mount', args: ['$(id)'] }]])).toThrow(/refusing to pass/);
    expect(() => buildScript([[{ bin: 'rm' as 'mount', args: ['-rf', '/'] }]])).toThrow(/refusing to run/);
  });

  it('reads each step back from the output sudo-prompt returns, through the same two shells', () => {
    // The same wrapping sudo-prompt applies (sh -> bash -c "..."), with echo standing in for
    // the privileged binaries so the test runs anywhere; the quoting is what is under test.
    const script = buildScript([
      [{ bin: 'mount', args: ['ok-step'] }],
      [{ bin: 'umount', args: ['failing-step'] }, { bin: 'mount', args: ['never-runs'] }],
    ]).replaceAll("'mount'", 'echo').replaceAll("'umount' 'failing-step'", "sh -c 'echo umount: target is busy; exit 32'");
    const out = spawnSync('/bin/sh', ['-c', `/bin/bash -c "echo SUDOPROMPT; ${script.replace(/"/g, '\\"')}"`], { encoding: 'utf8' }).stdout;
    const results = parseScriptOutput(
      [
        [{ bin: 'mount', args: ['ok-step'] }],
        [{ bin: 'umount', args: ['failing-step'] }, { bin: 'mount', args: ['never-runs'] }],
      ],
      out,
    );
    expect(results[0]).toMatchObject({ ok: true, error: '' });
    expect(results[1]).toMatchObject({ ok: false, error: 'umount: target is busy' });
    expect(results[1]!.steps).toHaveLength(1);
  });

  it('maps the three sudo-prompt failures on Linux to their guided errors', () => {
    expect(classifyElevationError(new Error('Unable to find pkexec or kdesudo.')).code).toBe('NOT_ROOT_NO_ELEVATION');
    expect(classifyElevationError(new Error('No polkit authentication agent found.')).code).toBe('NO_POLKIT_AGENT');
    expect(classifyElevationError(new Error('User did not grant permission.')).code).toBe('ELEVATION_DENIED');
  });
});
