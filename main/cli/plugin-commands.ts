// `plugin serve`: the volumes of this store served to podman and Docker as the volume plugin
// `volume-manager`, in the foreground until SIGTERM or Ctrl-C; and `plugin enable` / `disable`,
// the systemd units that serve them on demand while no window is open (plugin-units.ts). It
// works on the engine itself, not through the contract's calls: it is a front end of its own,
// and lives as long as the containers need it.

import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { invalidRequest } from '../../app/errors/catalogue.js';
import { execArgv } from '../../app/system/exec-argv.js';
import type { VolumeEngine } from '../../app/volume/engine.js';
import { podmanLines, startPluginServer } from '../shared/plugin-server/serve.js';
import { defaultSocket } from '../shared/plugin-server/socket.js';
import { parse } from './args.js';
import type { Io } from './commands.js';
import { MARK, pluginUnits, UNIT, unitDir } from './plugin-units.js';

/** `self`: how this command line runs here, for this store (node, the bundle, --state-dir DIR). */
export type PluginCommand = (argv: string[], engine: VolumeEngine, io: Io, self: string[]) => Promise<number>;

const socketOf = (value: unknown) => (value === undefined ? defaultSocket() : resolve(String(value)));
const systemctl = (args: string[]) => execArgv('systemctl', [...(process.getuid?.() === 0 ? [] : ['--user']), ...args], { timeoutMs: 30_000 });
const ours = (path: string) => !existsSync(path) || readFileSync(path, 'utf8').startsWith(`${MARK}\n`);

export const pluginCommands: Record<string, PluginCommand> = {
  async serve(argv, engine, io) {
    const { values, positionals } = parse(argv, { socket: { type: 'string' } });
    if (positionals.length) throw invalidRequest('plugin serve takes no arguments; see volume-manager --help');
    const running = await startPluginServer(engine, socketOf(values.socket));
    // One write, so that whoever waits for the first line has the rest too.
    io.out(
      [
        `serving volume plugin volume-manager on ${running.socket}`,
        `podman: add to containers.conf (~/.config/containers/containers.conf, or /etc/containers/containers.conf as root):`,
        podmanLines(running.socket),
        `docker: finds it as volume-manager when the socket is in /run/docker/plugins (as root, the default)`,
      ].join('\n'),
    );
    // `on`, not `once`: the store's atomic writes (conf's when-exit) send the signal again after
    // their own clean-up, which must not end the server before it has removed its socket.
    await new Promise<void>((done) => {
      process.on('SIGTERM', done);
      process.on('SIGINT', done);
    });
    await running.close();
    return 0;
  },

  /** Writes the units (never over files it did not write) and asks systemd to listen now. */
  async enable(argv, _engine, io, self) {
    const { values, positionals } = parse(argv, { socket: { type: 'string' } });
    if (positionals.length) throw invalidRequest('plugin enable takes no arguments; see volume-manager --help');
    const socket = socketOf(values.socket);
    const units = pluginUnits(self, socket);
    const dir = unitDir();
    const files = { [join(dir, `${UNIT}.socket`)]: units.socket, [join(dir, `${UNIT}.service`)]: units.service };
    for (const path of Object.keys(files)) if (!ours(path)) throw invalidRequest(`${path} exists and was not written by volume-manager; it was left as it is`);
    mkdirSync(dir, { recursive: true });
    for (const [path, text] of Object.entries(files)) {
      writeFileSync(`${path}.tmp`, text, { mode: 0o644 });
      renameSync(`${path}.tmp`, path);
    }
    io.out(`wrote ${Object.keys(files).join(' and ')}`);
    const reload = await systemctl(['daemon-reload']);
    const start = reload.code === 0 ? await systemctl(['enable', '--now', `${UNIT}.socket`]) : reload;
    if (start.code === 0) io.out(`systemd listens on ${socket} and starts the server when podman or Docker connect`);
    else io.err(`systemd did not take the units (${(start.spawnError?.message ?? start.output).trim().split('\n')[0]}); in your desktop session run: systemctl ${process.getuid?.() === 0 ? '' : '--user '}enable --now ${UNIT}.socket`);
    io.out(`podman: add to containers.conf:\n${podmanLines(socket)}`);
    return 0;
  },

  /** Stops the units and removes them; files it did not write are left. */
  async disable(argv, _engine, io) {
    const { positionals } = parse(argv, {});
    if (positionals.length) throw invalidRequest('plugin disable takes no arguments; see volume-manager --help');
    await systemctl(['disable', '--now', `${UNIT}.socket`, `${UNIT}.service`]);
    for (const name of [`${UNIT}.socket`, `${UNIT}.service`]) {
      const path = join(unitDir(), name);
      if (!existsSync(path)) continue;
      if (!ours(path)) io.err(`${path} was not written by volume-manager; it was left as it is`);
      else {
        rmSync(path);
        io.out(`removed ${path}`);
      }
    }
    return 0;
  },
};
