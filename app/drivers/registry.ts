// The drivers the engine knows: the built-in ones by name, and the plugin driver for every
// other name. A new built-in driver is one line here and a folder beside local/. SSH volumes
// are written in the local driver's form (type=sshfs), as podman users write volumes, and
// served by a driver of their own.

import type { PluginRegistry } from '../plugin-client/registry.js';
import type { StateLayout } from '../state/layout.js';
import type { Runner } from '../system/direct-runner.js';
import type { VolumeDriver } from './driver.js';
import { LocalDriver } from './local/local-driver.js';
import { PluginDriver } from './plugin/plugin-driver.js';
import { SshfsDriver } from './sshfs/sshfs-driver.js';

export interface Drivers {
  /** The driver that serves a volume of driver `name` with these options. */
  of(name: string, options: Record<string, string>): VolumeDriver;
  all: VolumeDriver[];
}

export function driverRegistry(layout: StateLayout, runner: Runner, plugins: PluginRegistry): Drivers {
  const local = new LocalDriver(layout, runner);
  const sshfs = new SshfsDriver(layout);
  const plugin = new PluginDriver(plugins);
  return {
    of: (name, options) => (name !== 'local' ? plugin : options.type === 'sshfs' ? sshfs : local),
    all: [local, sshfs, plugin],
  };
}
