import { describe, expect, it } from 'vitest';
import { localCommand } from './local-command.js';

const bundle = { Command: '/usr/bin/node /opt/vm/dist/cli.cjs', StateDir: `--state-dir '/tmp/my state'`, Root: false };

describe("a guided error's command, as it runs here", () => {
  it('runs the bundle where volume-manager is not installed, on the store the window shows', () => {
    expect(localCommand('volume-manager volume unmount --force held-a', bundle)).toBe(`/usr/bin/node /opt/vm/dist/cli.cjs --state-dir '/tmp/my state' volume unmount --force held-a`);
  });
  it('replaces every command word, after sudo, a pipe and &&, and nothing inside other words', () => {
    const here = { Command: 'vm', StateDir: '', Root: false };
    expect(localCommand('sudo volume-manager volume mount NAME', here)).toBe('sudo vm volume mount NAME');
    expect(localCommand('zcat a.tgz | volume-manager volume import x -', here)).toBe('zcat a.tgz | vm volume import x -');
    expect(localCommand('volume-manager volume rm x && volume-manager volume reload', here)).toBe('vm volume rm x && vm volume reload');
    expect(localCommand('ls ~/.local/share/volume-manager/volumes', here)).toBe('ls ~/.local/share/volume-manager/volumes');
  });
  it('keeps a command that names its own store to that store, and leaves commands alone until the host said how', () => {
    expect(localCommand('volume-manager --state-dir /x volume ls', bundle)).toBe('/usr/bin/node /opt/vm/dist/cli.cjs --state-dir /x volume ls');
    expect(localCommand('volume-manager volume ls', null)).toBe('volume-manager volume ls');
  });
  it('drops sudo where the engine runs as root, wherever a command starts', () => {
    const root = { Command: 'vm', StateDir: '', Root: true };
    expect(localCommand('sudo modprobe nfs', root)).toBe('modprobe nfs');
    expect(localCommand('sudo dmesg | tail', root)).toBe('dmesg | tail');
    expect(localCommand('zcat a.tgz | sudo volume-manager volume import x -', root)).toBe('zcat a.tgz | vm volume import x -');
    expect(localCommand('ls -ld /etc/sudoers.d && sudo ls /root', root)).toBe('ls -ld /etc/sudoers.d && ls /root');
  });
});
