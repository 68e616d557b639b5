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
    const cmd = commandFor(buildScript([[{ op: 'mount', via: 'label', type: 'tmpfs', options: ['size=1m'], source: 'tmpfs', target: mine }]]));
    expect(cmd).toMatch(/^\/bin\/bash <\(echo [A-Za-z0-9+/=]+ \| base64 -d\)$/);
  });

  it('adds nosuid,nodev after every option and ends the options with --', () => {
    const script = buildScript([[{ op: 'mount', via: 'image', type: 'ext4', options: ['suid', 'dev'], source: '/img', target: mine }]]);
    expect(script).toContain(`vm_mount '${mine}' 'ext4' 'suid,dev' '/img' 'image'`);
    expect(script).toContain('all="${opts:+$opts,}nosuid,nodev"');
    expect(script).toContain('mount -i -t "$type" -o "$all" -- "$vm_pinned" "$target"');
    expect(script).toContain('umount -i -- "$target"');
  });

  it('refuses, before anything runs, values that are flags or carry shell syntax', () => {
    const bad: Job[] = [
      [{ op: 'mount', via: 'label', type: 'tmpfs', options: [], source: '-a', target: mine }],
      [{ op: 'mount', via: 'label', type: 'tmpfs', options: [], source: '--make-rshared', target: mine }],
      [{ op: 'mount', via: 'label', type: '-t', options: [], source: 'tmpfs', target: mine }],
      [{ op: 'mount', via: 'label', type: 'tmpfs', options: ["x'; reboot; '"], source: 'tmpfs', target: mine }],
      [{ op: 'umount', target: '$(id)', lazy: false }],
      [{ op: 'mount', via: 'label', type: 'fuse.bash', options: [], source: '/home/u/pay.sh', target: mine }],
      [{ op: 'mount', via: 'image', type: 'fuse', options: [], source: '/img', target: mine }],
      [{ op: 'mount', via: 'label', options: [], source: 'tmpfs', target: mine }],
      [{ op: 'mount', via: 'plugin' as 'label', type: 'tmpfs', options: [], source: 'tmpfs', target: mine }],
      [{ op: 'rm' as 'umount', target: '/', lazy: false }],
    ];
    for (const job of bad) expect(() => buildScript([job])).toThrow(/refusing/);
  });

  it('refuses targets outside the root-owned tree, and targets of another uid, in the script itself', () => {
    const jobs: Job[] = [
      [{ op: 'mount', via: 'label', type: 'tmpfs', options: [], source: 'tmpfs', target: '/home/someone/.local/share/volume-manager/volumes/a/_data' }],
      [{ op: 'umount', target: '/etc', lazy: true }],
      [{ op: 'mount', via: 'label', type: 'tmpfs', options: [], source: 'tmpfs', target: elevatedTarget(uid + 1, '0123456789abcdef', 'a') }],
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
    const calls = [`vm_step 0.0 vm_mount '${mine}' 'tmpfs' '' '-a' label`, `vm_step 1.0 vm_mount '${mine}' '-t' '' 'tmpfs' label`, `vm_step 2.0 vm_mount '${mine}' 'tmpfs' '-o' 'tmpfs' label`];
    const r = spawnSync('/bin/bash', ['-c', `${prelude(false)}\n${calls.join('\n')}`], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', PKEXEC_UID: String(uid) } });
    expect(r.stdout).toContain('volume-manager (root): refusing source -a');
    expect(r.stdout).toContain('volume-manager (root): refusing type -t');
    expect(r.stdout).toContain('volume-manager (root): refusing options -o');
    expect(r.stdout).not.toContain('@@vm-ok');
  });

  it('refuses, in the script itself, types that run a program and options that reach beyond the volume', () => {
    const calls = [
      ['fuse.bash', '', '/home/u/pay.sh', 'image'],
      ['fuse.bash', '', '/home/u/pay.sh', 'label'],
      ['fuseblk', '', '/dev/sda1', 'block'],
      ['ext4', '', '/img', 'label'],
      ['none', 'rbind', '/etc', 'dir'],
      ['none', 'bind,shared', '/etc', 'dir'],
      ['none', 'ro', '/etc', 'dir'],
      ['tmpfs', 'bind', '/etc', 'label'],
      ['ext4', 'loop=/dev/loop0', '/img', 'image'],
      ['ext4', 'X-mount.owner=1000', '/img', 'image'],
      ['ext4', 'helper=udisks2', '/img', 'image'],
      ['tmpfs', 'remount', 'tmpfs', 'label'],
      ['nfs', 'make-rshared', 'srv:/x', 'net'],
      ['tmpfs', '', 'tmpfs', 'plugin'],
    ].map(([type, opts, source, via], i) => `vm_step ${i}.0 vm_mount '${mine}' '${type}' '${opts}' '${source}' ${via}`);
    const r = spawnSync('/bin/bash', ['-c', `${prelude(false)}\n${calls.join('\n')}`], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', PKEXEC_UID: String(uid) } });
    expect(r.stdout).not.toContain('@@vm-ok');
    expect(r.stdout.match(/volume-manager \(root\): refusing/g)).toHaveLength(calls.length);
    expect(r.stdout).toContain('refusing type fuse.bash from a label');
    expect(r.stdout).toContain('refusing option rbind: it reaches beyond the volume');
    expect(r.stdout).toContain('refusing a directory mount without bind');
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
