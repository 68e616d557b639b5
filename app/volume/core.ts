// What every part of the engine works through: the state directory and its store, the
// drivers, what runs root's side, and the mount table, with the few operations all of them
// share (a record's driver, its view, the volumes' locks). The engine (engine.ts) is this
// core with podman's operations on top; the counter (mount-batch.ts), reconcile
// (reconcile.ts) and login restore (restore.ts) are functions of it.

import type { VolumeInspect } from '../api/types.js';
import type { VolumeDriver } from '../drivers/driver.js';
import { driverRegistry, type Drivers } from '../drivers/registry.js';
import { defaultLocations, type PluginLocations } from '../plugin-client/locations.js';
import { PluginRegistry } from '../plugin-client/registry.js';
import { acquire, type Release } from '../state/locks.js';
import { openLayout, type StateLayout } from '../state/layout.js';
import type { StateData, VolumeRecord } from '../state/schema.js';
import { StateStore, type BackendFactory } from '../state/state-store.js';
import type { AutostartTarget } from '../system/autostart.js';
import { DirectRunner, type Runner } from '../system/direct-runner.js';
import { ElevatedRunner } from '../system/elevated-runner.js';
import { lazyMountTable, type MountTable } from '../system/mountinfo.js';
import { toView } from './view.js';

export interface EngineOptions {
  stateDir: string;
  /** Defaults to direct execution as root and sudo-prompt otherwise. */
  runner?: Runner;
  backend?: BackendFactory;
  /** How long an operation waits for another process that holds the volume. */
  lockWaitMs?: number;
  /** Where plugins are looked for; Docker's and podman's places by default. */
  plugins?: PluginLocations;
  /**
   * How this front end runs `volume restore` (absolute argv), for the autostart entry that
   * brings `login` volumes back. Without it the entry is not touched.
   */
  autostart?: AutostartTarget;
  /**
   * The process does this one call and exits (a command-line verb): as root, the programs it
   * runs block it (execArgvBlocking). Never for a process that serves others.
   */
  runsAlone?: boolean;
}

export const volumeLock = (name: string) => `volume-${name}`;

/** `items` grouped by the driver that serves each, in the order the drivers were met. */
export function byDriver<T>(items: T[], driverOf: (item: T) => VolumeDriver): Map<VolumeDriver, T[]> {
  const groups = new Map<VolumeDriver, T[]>();
  for (const item of items) {
    const d = driverOf(item);
    const group = groups.get(d);
    if (group) group.push(item);
    else groups.set(d, [item]);
  }
  return groups;
}

export class VolumeCore {
  readonly layout: StateLayout;
  readonly store: StateStore;
  readonly plugins: PluginRegistry;
  private readonly lockWaitMs: number;
  readonly registry: Drivers;
  /** What runs root's side: directly as root, or through polkit. */
  readonly runner: Runner;
  readonly autostart: AutostartTarget | undefined;

  constructor(opts: EngineOptions) {
    this.layout = openLayout(opts.stateDir);
    this.store = new StateStore(this.layout, opts.backend);
    const runner = (this.runner = opts.runner ?? (process.geteuid?.() === 0 ? new DirectRunner({ blocking: opts.runsAlone === true }) : new ElevatedRunner()));
    this.lockWaitMs = opts.lockWaitMs ?? 120_000;
    this.plugins = new PluginRegistry(opts.plugins ?? defaultLocations());
    this.registry = driverRegistry(this.layout, runner, this.plugins);
    this.autostart = opts.autostart;
  }

  driverOf(rec: VolumeRecord): VolumeDriver {
    return this.registry.of(rec.driver, rec.options);
  }

  table(): MountTable {
    return lazyMountTable();
  }

  view(rec: VolumeRecord, table = this.table()): VolumeInspect {
    return toView(rec, this.driverOf(rec), table);
  }

  /**
   * Forgets the counters of another boot (see StateStore.update) before anything reads them.
   * Cheap when nothing rebooted: a stat and a comparison. A state that cannot be written still
   * lists; its counters are then put right by the next write.
   */
  async afterReboot(): Promise<void> {
    if (!this.store.fromAnotherBoot()) return;
    await this.store.update(() => undefined).catch(() => undefined);
  }

  /**
   * Writes the store with `change`; where the write fails, takes back what a driver made for it
   * (`undo`, whose own failure is not worth more than the first) and throws the write's error.
   */
  async updateOrUndo<T>(change: (data: StateData) => T, undo: () => unknown): Promise<T> {
    try {
      return await this.store.update(change);
    } catch (err) {
      await Promise.resolve()
        .then(undo)
        .catch(() => undefined);
      throw err;
    }
  }

  /** Holds the locks of `names` (sorted, so two batches never deadlock) while `fn` runs. */
  async withVolumeLocks<T>(names: string[], fn: () => Promise<T>): Promise<T> {
    const releases: Release[] = [];
    try {
      for (const name of [...new Set(names)].sort()) {
        releases.push(await acquire(this.layout.locksDir, volumeLock(name), { waitMs: this.lockWaitMs }));
      }
      return await fn();
    } finally {
      for (const release of releases.reverse()) await release().catch(() => undefined);
    }
  }
}
