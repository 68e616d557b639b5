import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Job } from './commands.js';
import { elevatedTarget } from './elevated-targets.js';
import { buildScript, classifyElevationError, commandFor, parseScriptOutput } from './elevated-runner.js';
import { prelude } from './root-script.js';

const uid = process.getuid!();
const mine = elevatedTarget(uid, '0123456789abcdef', 'a');

/** Runs `jobs` as sudo-prompt would (the user's sh, then bash -c "..."), as this user, with pkexec's PKEXEC_UID. */
function runAsSudoPrompt(jobs: Job[], pkexecUid: number) {
  const cmd = commandFor(buildScript(jobs));
  const r = spawnSync('/bin/sh', ['-c', `/bin/bash -c "echo SUDOPROMPT; ${cmd.replace(/"/g, '\\"')}"`], {
    encoding: 'utf8',
    env: { PATH: '/usr/bin:/bin', PKEXEC_UID: String(pkexecUid) },
  });
  return parseScriptOutput(jobs, r.stdout);
}

describe('the root script', () => {
  it('reaches sudo-prompt as one base64 token that no shell can expand', () => {
    const cmd = commandFor(buildScript([[{ op: 'mount', type: 'tmpfs', options: ['size=1m'], source: 'tmpfs', target: mine }]]));
    expect(cmd).toMatch(/^\/bin\/bash <\(echo [A-Za-z0-9+/=]+ \| base64 -d\)$/);
  });

  it('adds nosuid,nodev after every option and ends the options with --', () => {
    const script = buildScript([[{ op: 'mount', type: 'ext4', options: ['suid', 'dev', 'loop'], source: '/img', target: mine }]]);
    expect(script).toContain(`vm_mount '${mine}' 'ext4' 'suid,dev,loop' '/img'`);
    expect(script).toContain('mount -t "$type" -o "${opts:+$opts,}nosuid,nodev" -- "$source" "$target"');
    expect(script).toContain('umount -- "$target"');
  });

  it('refuses, before anything runs, values that are flags or carry shell syntax', () => {
    const bad: Job[] = [
      [{ op: 'mount', type: 'tmpfs', options: [], source: '-a', target: mine }],
      [{ op: 'mount', type: 'tmpfs', options: [], source: '--make-rshared', target: mine }],
      [{ op: 'mount', type: '-t', options: [], source: 'tmpfs', target: mine }],
      [{ op: 'mount', options: ["x'; reboot; '"], source: 'tmpfs', target: mine }],
      [{ op: 'umount', target: '$(id)', lazy: false }],
      [{ op: 'rm' as 'umount', target: '/', lazy: false }],
    ];
    for (const job of bad) expect(() => buildScript([job])).toThrow(/refusing/);
  });

  it('refuses targets outside the root-owned tree, and targets of another uid, in the script itself', () => {
    const jobs: Job[] = [
      [{ op: 'mount', type: 'tmpfs', options: [], source: 'tmpfs', target: '/home/someone/.local/share/volume-manager/volumes/a/_data' }],
      [{ op: 'umount', target: '/etc', lazy: true }],
      [{ op: 'mount', type: 'tmpfs', options: [], source: 'tmpfs', target: elevatedTarget(uid + 1, '0123456789abcdef', 'a') }],
      [{ op: 'umount', target: `${mine}/../../../../etc`, lazy: false }],
    ];
    const results = runAsSudoPrompt(jobs, uid);
    expect(results.map((r) => r.ok)).toEqual([false, false, false, false]);
    expect(results[0]!.error).toMatch(/^volume-manager \(root\): refusing .*not a volume target under \/run\/volume-manager/);
    expect(results[1]!.error).toMatch(/refusing \/etc/);
    expect(results[2]!.error).toMatch(new RegExp(`belongs to uid ${uid + 1}, the caller is uid ${uid}`));
    expect(results[3]!.error).toMatch(/refusing/);
  });

  it('refuses flags and odd types itself, when a caller skips the checks of commands.ts', () => {
    // A script written by hand, as a tampered user process could send it.
    const calls = [`vm_step 0.0 vm_mount '${mine}' 'tmpfs' '' '-a'`, `vm_step 1.0 vm_mount '${mine}' '-t' '' 'tmpfs'`, `vm_step 2.0 vm_mount '${mine}' 'tmpfs' '-o' 'tmpfs'`];
    const r = spawnSync('/bin/bash', ['-c', `${prelude(false)}\n${calls.join('\n')}`], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', PKEXEC_UID: String(uid) } });
    expect(r.stdout).toContain('volume-manager (root): refusing source -a');
    expect(r.stdout).toContain('volume-manager (root): refusing type -t');
    expect(r.stdout).toContain('volume-manager (root): refusing options -o');
    expect(r.stdout).not.toContain('@@vm-ok');
  });

  it('reads each step back from the output, a job stopping at its first failure', () => {
    const jobs: Job[] = [
      [{ op: 'umount', target: '/nowhere', lazy: false }, { op: 'umount', target: mine, lazy: false }],
    ];
    const [r] = runAsSudoPrompt(jobs, uid);
    expect(r!.ok).toBe(false);
    expect(r!.steps).toHaveLength(1);
  });

  it('maps the three sudo-prompt failures on Linux to their guided errors', () => {
    expect(classifyElevationError(new Error('Unable to find pkexec or kdesudo.')).code).toBe('NOT_ROOT_NO_ELEVATION');
    expect(classifyElevationError(new Error('No polkit authentication agent found.')).code).toBe('NO_POLKIT_AGENT');
    expect(classifyElevationError(new Error('User did not grant permission.')).code).toBe('ELEVATION_DENIED');
  });
});
