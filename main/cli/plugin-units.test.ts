import { describe, expect, it } from 'vitest';
import { MARK, pluginUnits, unitWord } from './plugin-units.js';

describe('the plugin server as systemd units', () => {
  it('quotes every word of ExecStart as systemd reads it', () => {
    expect(unitWord('/usr/bin/node')).toBe('"/usr/bin/node"');
    expect(unitWord('/home/a b/"x"\\%$y')).toBe('"/home/a b/\\"x\\"\\\\%%$$y"');
  });

  it('refuses a newline, which would start a directive of its own', () => {
    expect(() => unitWord('/x\nExecStartPre=/bin/sh')).toThrow(/control character/);
    expect(() => pluginUnits(['/node'], '/run/user/1000/a b.sock')).toThrow(/space or a control character/);
  });

  it('listens where podman looks and starts the server on that socket, killing only it when stopped', () => {
    const u = pluginUnits(['/usr/bin/node', '/opt/vm/cli.cjs', '--state-dir', '/home/a/.local/share/volume-manager'], '/run/user/1000/volume-manager/plugin.sock');
    expect(u.socket.split('\n')).toEqual(expect.arrayContaining([MARK, 'ListenStream=/run/user/1000/volume-manager/plugin.sock', 'SocketMode=0600', 'WantedBy=sockets.target']));
    expect(u.service).toContain('ExecStart="/usr/bin/node" "/opt/vm/cli.cjs" "--state-dir" "/home/a/.local/share/volume-manager" "plugin" "serve" "--socket" "/run/user/1000/volume-manager/plugin.sock"\n');
    expect(u.service).toContain('KillMode=process\n');
  });
});
