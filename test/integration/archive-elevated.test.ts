// Export and import as the unprivileged user vmtest, through sudo-prompt, pkexec and the real
// polkitd. A tmpfs mounted with mode=0755 belongs to root, so only the root side can fill it:
// there, the root script alone decides what an archive may do, and it opens the user's FIFO
// with the user's uid. A default tmpfs (mode 1777) is the user's to write, and is filled with
// the user's own rights, without a prompt.

import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { archiveScript } from '../../app/transfer/archive-script.js';
import { archive, hostileArchives } from '../helpers/archives.js';
import { cli } from '../helpers/cli.js';
import { describeIf, polkitUp } from '../helpers/env.js';
import { tempDir } from '../helpers/fixtures.js';
import { RULE, ruleText, USER, userSandbox, userUid, waitForPolkit, leaveNothingGranted } from '../helpers/polkit.js';

describeIf(polkitUp(), 'root, pkexec, a running polkitd and the user vmtest (test/setup/provision.sh)')('export and import through polkit', () => {
  let t: ReturnType<typeof tempDir>;
  let state: string;
  let userCli: string;
  let victim: string;
  const secret = '/root/volume-manager-test-secret.tar';
  const run = (args: string[]) => cli(state, args, { user: USER, cliPath: userCli });
  const asUser = (cmd: string) => spawnSync('runuser', ['-u', USER, '--', 'sh', '-c', cmd], { encoding: 'utf8' });
  const mp = (name: string) => JSON.parse(run(['volume', 'inspect', name]).stdout)[0].Mountpoint as string;
  const tree = (dir: string) => spawnSync('find', [dir, '-printf', '%P %y %u %m\\n'], { encoding: 'utf8' }).stdout.split('\n').sort().join('\n');
  /** A file vmtest can read, holding `bytes`. */
  const userFile = (name: string, bytes: Buffer) => {
    const file = join(t.dir, name);
    writeFileSync(file, bytes);
    chmodSync(file, 0o644);
    return file;
  };

  beforeAll(() => {
    t = tempDir('vm-archive-elev-');
    ({ userCli, state, victim } = userSandbox(t));
    writeFileSync(secret, archive([{ path: 'stolen', type: 'File', body: 'root only' }]));
    chmodSync(secret, 0o600);
    writeFileSync(RULE, ruleText('YES'));
    waitForPolkit('allowed');
    expect(run(['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'size=16m', '--opt', 'o=mode=0755', 'locked'])).toMatchObject({ code: 0 });
    expect(run(['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'size=16m', 'open'])).toMatchObject({ code: 0 });
    expect(run(['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'size=16m', '--opt', 'o=mode=0777', 'loose'])).toMatchObject({ code: 0 });
    for (const name of ['locked', 'open', 'loose']) expect(run(['volume', 'mount', name])).toMatchObject({ code: 0 });
  });
  afterAll(() => {
    rmSync(secret, { force: true });
    leaveNothingGranted(state, t);
  });

  it('fills a volume only root may write with the user\'s own files, and never a setuid bit', () => {
    expect(asUser(`touch '${mp('locked')}/x'`).status).not.toBe(0);
    const file = userFile('good.tar', archive([
      { path: 'tool', type: 'File', body: '#!/bin/sh\n', mode: 0o4755 },
      { path: 'shared', type: 'Directory', mode: 0o2775 },
      { path: 'shared/notes', type: 'File', body: 'notes', mode: 0o640 },
      { path: 'latest', type: 'SymbolicLink', linkpath: 'shared/notes' },
    ]));
    const r = run(['volume', 'import', 'locked', file]);
    expect(r.code, r.stderr).toBe(0);
    const root = mp('locked');
    expect(statSync(join(root, 'tool')).uid).toBe(userUid());
    expect(statSync(join(root, 'tool')).mode & 0o7777).toBe(0o755);
    expect(statSync(join(root, 'shared')).mode & 0o7777).toBe(0o775);
    expect(statSync(join(root, 'shared', 'notes'))).toMatchObject({ uid: userUid(), mode: expect.any(Number) });
    expect(lstatSync(join(root, 'latest')).uid).toBe(userUid());
    expect(readFileSync(join(root, 'latest'), 'utf8')).toBe('notes');
    expect(statSync(root).uid).toBe(0);
  });

  it('refuses every hostile archive on the root side and on the user\'s, by name, changing nothing', () => {
    const before = { locked: tree(mp('locked')), open: tree(mp('open')) };
    const passwd = readFileSync('/etc/passwd', 'utf8');
    for (const [what, h] of Object.entries(hostileArchives(victim))) {
      const file = userFile('hostile.tar', h.bytes);
      for (const volume of ['locked', 'open'] as const) {
        const r = run(['volume', 'import', '--replace', volume, file]);
        expect(r.code, `${what} into ${volume}: ${r.stderr}`).toBe(125);
        expect(r.stderr, `${what} into ${volume}`).toContain(`[${h.code}]`);
        for (const name of h.names ?? []) expect(r.stderr, what).toContain(name);
        expect(tree(mp(volume)), `${what} changed ${volume}`).toBe(before[volume]);
      }
      expect(readdirSync(victim), what).toEqual(['precious']);
      expect(readFileSync(join(victim, 'precious'), 'utf8')).toBe('untouched');
      expect(readFileSync('/etc/passwd', 'utf8')).toBe(passwd);
      expect(existsSync('/etc/volume-manager-planted')).toBe(false);
    }
  });

  it('exports what only root can read through the root side, into a file the user owns', () => {
    writeFileSync(join(mp('locked'), 'root-only'), 'for root');
    chmodSync(join(mp('locked'), 'root-only'), 0o600);
    const out = join(t.dir, 'user-out');
    mkdirSync(out);
    chownSync(out, userUid(), userUid());
    const r = run(['volume', 'export', '-o', join(out, 'locked.tar'), 'locked']);
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(join(out, 'locked.tar')).uid).toBe(userUid());
    const listed = spawnSync('tar', ['-tvf', join(out, 'locked.tar')], { encoding: 'utf8' }).stdout;
    expect(listed).toMatch(/-rw------- root\/root\s+8 .* root-only$/m);
  });

  it('opens the archive and the output with the user\'s uid, and acts on no path but the volume\'s', () => {
    // The script as a program running as the user could hand it to pkexec, with paths of its choosing.
    const asRoot = (script: string) => {
      const file = userFile('script.sh', Buffer.from(script));
      return spawnSync('runuser', ['-u', USER, '--', 'pkexec', '--disable-internal-agent', '/bin/bash', file], { encoding: 'utf8' });
    };
    const before = tree(mp('locked'));
    const steal = asRoot(archiveScript({ op: 'import', mountpoint: mp('locked'), io: secret, replace: true, id: '0123456789abcdef', stale: '' }, 'elevated'));
    expect(steal.stdout).not.toContain('@@vm-done');
    expect(steal.stdout).toContain('Permission denied');
    expect(tree(mp('locked'))).toBe(before);

    const plant = asRoot(archiveScript({ op: 'export', mountpoint: mp('locked'), io: '/etc/volume-manager-planted', stale: '' }, 'elevated'));
    expect(plant.stdout).not.toContain('@@vm-done');
    expect(existsSync('/etc/volume-manager-planted')).toBe(false);

    // A volume whose top directory the user may rename in (mode 0777, no sticky bit): root
    // would make its staging directory there, which the user could swap for a symlink.
    const plain = userFile('plain.tar', archive([{ path: 'landed', type: 'File', body: 'x' }]));
    const loose = asRoot(archiveScript({ op: 'import', mountpoint: mp('loose'), io: plain, replace: true, id: '0123456789abcdef', stale: '' }, 'elevated'));
    expect(loose.stdout).toContain('lets others than root rename in it');
    expect(readdirSync(mp('loose'))).toEqual([]);

    const elsewhere = asRoot(archiveScript({ op: 'import', mountpoint: victim, io: plain, replace: true, id: '0123456789abcdef', stale: '' }, 'elevated'));
    expect(elsewhere.stdout).toContain('volume-manager (root): refusing');
    expect(readdirSync(victim)).toEqual(['precious']);
  });
});
