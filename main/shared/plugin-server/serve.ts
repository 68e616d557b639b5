// The plugin server as one thing to start and stop: the command line's `plugin serve` and the
// window's main process both run it over their own engine. Stopping removes the socket it
// made (only that one: a server started after it in the same place keeps its own), and leaves
// every mount as the counter says: containers still hold theirs.

import { lstatSync, unlinkSync } from 'node:fs';
import type { VolumeEngine } from '../../../app/volume/engine.js';
import { pluginEndpoints } from './endpoints.js';
import { pluginHttpServer } from './http.js';
import { activatedFd, listenPlugin } from './socket.js';

export interface RunningPluginServer {
  /** The socket's path. */
  socket: string;
  close(): Promise<void>;
}

/** What podman's containers.conf needs to use the server at `socket`. */
export const podmanLines = (socket: string) => `[engine.volume_plugins]\nvolume-manager = "${socket}"`;

/**
 * Serves the plugin protocol over `engine` on `path`, or on the socket systemd passed (whose
 * unit listens at `path`, so that is what containers.conf names either way).
 */
export async function startPluginServer(engine: VolumeEngine, path: string): Promise<RunningPluginServer> {
  const server = pluginHttpServer(pluginEndpoints(engine));
  const fd = activatedFd();
  if (fd !== null) {
    await listenPlugin(server, { fd });
    return { socket: path, close: () => new Promise((r) => server.close(() => r())) };
  }
  await listenPlugin(server, { path });
  const made = lstatSync(path);
  return {
    socket: path,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      try {
        const now = lstatSync(path);
        if (now.ino === made.ino && now.dev === made.dev) unlinkSync(path);
      } catch {
        /* already gone */
      }
    },
  };
}
