// The drivers the engine knows: the built-in ones by name, and the plugin driver for every
// other name. A new built-in driver is one line here and a folder beside local/.

import type { PluginRegistry } from '../plugins/registry.js';
import type { StateLayout } from '../state/layout.js';
import type { Runner } from '../system/direct-runner.js';
import type { VolumeDriver } from './driver.js';
import { LocalDriver } from './local/local-driver.js';
import { PluginDriver } from './plugin/plugin-driver.js';

export interface Drivers {
  /** The driver that serves volumes of driver `name`. */
  of(name: string): VolumeDriver;
  all: VolumeDriver[];
}

export function driverRegistry(layout: StateLayout, runner: Runner, plugins: PluginRegistry): Drivers {
  const builtin = new Map<string, VolumeDriver>([['local', new LocalDriver(layout, runner)]]);
  const plugin = new PluginDriver(plugins);
  return { of: (name) => builtin.get(name) ?? plugin, all: [...builtin.values(), plugin] };
}
