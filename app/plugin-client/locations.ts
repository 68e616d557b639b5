// Where plugins are looked for: Docker's directories and podman's containers.conf files.
// Each list can be replaced (flags, or the environment) for tests and unusual setups.

import { homedir } from 'node:os';
import { join } from 'node:path';

export interface PluginLocations {
  /** Docker's socket directories: NAME.sock and NAME/NAME.sock. */
  socketDirs: string[];
  /** Docker's spec directories: NAME.spec (a URL) and NAME.json ({Name, Addr, TLSConfig}). */
  specDirs: string[];
  /** containers.conf files, later ones overriding earlier ones, as podman merges them. */
  containersConfs: string[];
}

export const ENV = {
  socketDirs: 'VOLUME_MANAGER_PLUGIN_SOCKET_DIRS',
  specDirs: 'VOLUME_MANAGER_PLUGIN_SPEC_DIRS',
  containersConfs: 'VOLUME_MANAGER_CONTAINERS_CONF',
} as const;

const split = (v: string) => v.split(':').filter(Boolean);

/** Docker's and podman's defaults, each replaced by its variable when that is set (even empty). */
export function defaultLocations(env: NodeJS.ProcessEnv = process.env): PluginLocations {
  const xdg = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  // podman reads only CONTAINERS_CONF when it is set; so do we, unless ours overrides it.
  const confs = env.CONTAINERS_CONF
    ? [env.CONTAINERS_CONF]
    : ['/usr/share/containers/containers.conf', '/etc/containers/containers.conf', join(xdg, 'containers/containers.conf')];
  return {
    socketDirs: env[ENV.socketDirs] !== undefined ? split(env[ENV.socketDirs]!) : ['/run/docker/plugins'],
    specDirs: env[ENV.specDirs] !== undefined ? split(env[ENV.specDirs]!) : ['/etc/docker/plugins', '/usr/lib/docker/plugins'],
    containersConfs: env[ENV.containersConfs] !== undefined ? split(env[ENV.containersConfs]!) : confs,
  };
}

/** Every place searched, for messages that tell a person where to put a plugin. */
export const searchedPlaces = (l: PluginLocations): string[] => [
  ...l.socketDirs.flatMap((d) => [`${d}/NAME.sock`, `${d}/NAME/NAME.sock`]),
  ...l.specDirs.flatMap((d) => [`${d}/NAME.spec`, `${d}/NAME.json`]),
  ...l.containersConfs.map((f) => `${f} [engine.volume_plugins]`),
];

/** `base` with each list that was given (by flags) replacing its default. */
export function withOverrides(base: PluginLocations, given: Partial<PluginLocations>): PluginLocations {
  return {
    socketDirs: given.socketDirs ?? base.socketDirs,
    specDirs: given.specDirs ?? base.specDirs,
    containersConfs: given.containersConfs ?? base.containersConfs,
  };
}
