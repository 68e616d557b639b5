// `plugin serve`: the volumes of this store served to podman and Docker as the volume plugin
// `volume-manager`, in the foreground until SIGTERM or Ctrl-C. It works on the engine itself,
// not through the contract's calls: it is a front end of its own, and lives as long as the
// containers need it.

import { resolve } from 'node:path';
import { invalidRequest } from '../../app/errors/catalogue.js';
import type { VolumeEngine } from '../../app/volume/engine.js';
import { podmanLines, startPluginServer } from '../shared/plugin-server/serve.js';
import { defaultSocket } from '../shared/plugin-server/socket.js';
import { parse } from './args.js';
import type { Io } from './commands.js';

export const pluginCommands: Record<string, (argv: string[], engine: VolumeEngine, io: Io) => Promise<number>> = {
  async serve(argv, engine, io) {
    const { values, positionals } = parse(argv, { socket: { type: 'string' } });
    if (positionals.length) throw invalidRequest('plugin serve takes no arguments; see volume-manager --help');
    const path = values.socket === undefined ? defaultSocket() : resolve(String(values.socket));
    const running = await startPluginServer(engine, path);
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
};
