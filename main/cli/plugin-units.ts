// The systemd units that keep the plugin server reachable while no window is open: a socket
// unit that listens where podman and Docker look, and a service that systemd starts on the
// first connection, handing it the socket (`plugin serve` takes it: socket activation). For a
// user, user units in $XDG_CONFIG_HOME/systemd/user; for root, system units.

import { homedir } from 'node:os';
import { join } from 'node:path';
import { invalidRequest } from '../../app/errors/catalogue.js';

export const UNIT = 'volume-manager-plugin';
/** The first line of every unit this writes: only such files are replaced or removed. */
export const MARK = '# Written by volume-manager plugin enable; removed by volume-manager plugin disable.';

/**
 * One word of ExecStart, as systemd reads it: in double quotes, with \ and " escaped, % and $
 * doubled (specifiers and variables). A control character (a newline would start another
 * directive) is refused.
 */
export function unitWord(word: string): string {
  if (/[\u0000-\u001f\u007f]/.test(word)) throw invalidRequest(`${JSON.stringify(word)} holds a control character, which a systemd unit cannot carry`);
  return `"${word.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%').replace(/\$/g, '$$$$')}"`;
}

/** Where the units go: the user's unit folder, or the system's for root. */
export function unitDir(env: NodeJS.ProcessEnv = process.env, uid = process.getuid?.() ?? 0): string {
  if (uid === 0) return '/etc/systemd/system';
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'systemd', 'user');
}

/** The two units for a server run as `exec` (absolute argv, without --socket) listening at `socket`. */
export function pluginUnits(exec: string[], socket: string): { socket: string; service: string } {
  const listen = socket.replace(/%/g, '%%');
  if (/[\u0000-\u001f\u007f\s]/.test(socket)) throw invalidRequest(`the socket path ${JSON.stringify(socket)} holds a space or a control character, which ListenStream cannot carry`);
  return {
    socket: [MARK, '[Unit]', 'Description=Volume Manager: volumes for podman and Docker (the volume plugin socket)', '', '[Socket]', `ListenStream=${listen}`, 'SocketMode=0600', 'DirectoryMode=0700', '', '[Install]', 'WantedBy=sockets.target', ''].join('\n'),
    service: [
      MARK,
      '[Unit]',
      'Description=Volume Manager: volumes for podman and Docker (the volume plugin server)',
      `Requires=${UNIT}.socket`,
      `After=${UNIT}.socket`,
      '',
      '[Service]',
      `ExecStart=${[...exec, 'plugin', 'serve', '--socket', socket].map(unitWord).join(' ')}`,
      // The mounts stay as the counter says when the server stops: they are not its children.
      'KillMode=process',
      '',
    ].join('\n'),
  };
}
