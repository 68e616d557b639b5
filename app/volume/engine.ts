// The volume engine: podman's volume semantics over one shared store. Every operation that
// changes a volume holds that volume's lock for its whole duration and re-reads the record
// from the store under it, because the app, the command line and other windows share the
// store. Only the first mount and the last unmount touch the system.

import { chownSync, mkdirSync, rmSync } from 'node:fs';
import type { BatchItem, DriverInfo, ListFilters, MountOutcome, NfsExport, ReloadReport, UnmountOutcome, VolumeInspect } from '../api/types.js';
import type { CreateRequest, RemoveOutcome } from '../api/contract.js';
import { mountJob, unmountJob } from '../drivers/local-driver.js';
import { nfsServerUnreachable, targetBusy, volumeExists, volumeInUse, volumeNotFound } from '../errors/catalogue.js';
import { classifyMountError, classifyUnmountError, isBusy, isNotMounted } from '../errors/classify-mount.js';
import { GuidedError, toGuided } from '../errors/guided-error.js';
import { assertNfsServer, listExports, probeNfs } from '../nfs/probe.js';
import { defaultLocations, type PluginLocations } from '../plugins/locations.js';
import { PluginRegistry } from '../plugins/registry.js';
import { acquire, tryAcquire, type Release } from '../state/locks.js';
import { mountpointOf, openLayout, volumeDir, type StateLayout } from '../state/layout.js';
import type { StateData, VolumeRecord } from '../state/schema.js';
import { StateStore, type BackendFactory } from '../state/state-store.js';
import type { Job } from '../system/commands.js';
import { DirectRunner, type Runner } from '../system/direct-runner.js';
import { ElevatedRunner } from '../system/elevated-runner.js';
import { processesUsing } from '../system/holders.js';
import { indexByMountpoint, readMountTable, type MountEntry } from '../system/mountinfo.js';
import { validateLabels } from './labels.js';
import { parseLocalOptions, type LocalMountSpec } from './local-options.js';
import { assertDriverName, assertVolumeName, NAME_PATTERN } from './name.js';
import { checkPluginOptions } from './plugin-options.js';
import { PluginVolumes } from './plugin-volumes.js';
import { addUsage } from './usage.js';
import { matches, needsMount, toView } from './view.js';

export interface EngineOptions {
  stateDir: string;
  /** Defaults to direct execution as root and sudo-prompt otherwise. */
  runner?: Runner;
  backend?: BackendFactory;
  /** How long an operation waits for another process that holds the volume. */
  lockWaitMs?: number;
  /** Where plugins are looked for; Docker's and podman's places by default. */
  plugins?: PluginLocations;
}

const volumeLock = (name: string) => `volume-${name}`;

// A snapshot is shared and never mutated (see StateStore.snapshot), so its names are sorted
// once for as long as it is the current one, not on every list.
const sortedByState = new WeakMap<Readonly<StateData>, string[]>();
function sortedNames(state: Readonly<StateData>): string[] {
  let names = sortedByState.get(state);
  if (!names) sortedByState.set(state, (names = Object.keys(state.volumes).sort()));
  return names;
}

export class VolumeEngine {
  readonly layout: StateLayout;
  readonly store: StateStore;
  readonly plugins: PluginRegistry;
  private readonly runner: Runner;
  private readonly lockWaitMs: number;
  private readonly pluginVolumes: PluginVolumes;

  constructor(opts: EngineOptions) {
    this.layout = openLayout(opts.stateDir);
    this.store = new StateStore(this.layout, opts.backend);
    this.runner = opts.runner ?? (process.geteuid?.() === 0 ? new DirectRunner() : new ElevatedRunner());
    this.lockWaitMs = opts.lockWaitMs ?? 120_000;
    this.plugins = new PluginRegistry(opts.plugins ?? defaultLocations());
    this.pluginVolumes = new PluginVolumes(this.plugins);
  }

  /** Releases what outlives a call (kept-alive plugin connections); for long-lived hosts. */
  close(): void {
    this.plugins.close();
  }

  mountpoint(name: string): string {
    return mountpointOf(this.layout, name);
  }

  private table(): Map<string, MountEntry> {
    return indexByMountpoint(readMountTable());
  }

  private view(rec: VolumeRecord, table = this.table()): VolumeInspect {
    return toView(rec, this.mountpoint(rec.name), table);
  }

  /** Holds the locks of `names` (sorted, so two batches never deadlock) while `fn` runs. */
  private async withVolumeLocks<T>(names: string[], fn: () => Promise<T>): Promise<T> {
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

  /**
   * Checks a create request without writing anything: name, labels, options, and that the
   * name is free. Returns the local mount spec for local volumes.
   */
  validate(req: CreateRequest): LocalMountSpec | undefined {
    assertVolumeName(req.name);
    validateLabels(req.labels ?? {});
    const driver = req.driver ?? 'local';
    let spec: LocalMountSpec | undefined;
    if (driver === 'local') spec = parseLocalOptions(req.options ?? {});
    else {
      assertDriverName(driver);
      checkPluginOptions(req.options ?? {});
    }
    if (this.store.snapshot().volumes[req.name]) throw volumeExists(req.name);
    return spec;
  }

  /** Creates a volume. Bad names and options throw before anything is written. */
  async create(req: CreateRequest): Promise<VolumeInspect> {
    const spec = this.validate(req);
    const driver = req.driver ?? 'local';
    const options = { ...(req.options ?? {}) };
    const labels = { ...(req.labels ?? {}) };
    const rec: VolumeRecord = { name: req.name, driver, options, labels, createdAt: new Date().toISOString(), mountCount: 0 };
    if (!spec) {
      return this.withVolumeLocks([req.name], async () => {
        if (this.store.read().volumes[req.name]) throw volumeExists(req.name);
        await this.pluginVolumes.create(req.name, driver, options);
        return this.saveNew(rec);
      });
    }
    return this.withVolumeLocks([req.name], async () => {
      if (this.store.read().volumes[req.name]) throw volumeExists(req.name);
      const mountpoint = this.mountpoint(req.name);
      mkdirSync(mountpoint, { recursive: true, mode: 0o755 });
      if (spec.owner) chownSync(mountpoint, spec.owner.uid ?? -1, spec.owner.gid ?? -1);
      return this.saveNew(rec);
    });
  }

  /** Stores a new volume's record; the caller holds its lock. */
  private async saveNew(rec: VolumeRecord): Promise<VolumeInspect> {
    await this.store.update((data) => {
      if (data.volumes[rec.name]) throw volumeExists(rec.name);
      data.volumes[rec.name] = rec;
    });
    return this.view(rec);
  }

  /** Inspect in the order asked; an unknown name fails the whole call, as podman does. */
  async inspect(names: string[]): Promise<VolumeInspect[]> {
    names.forEach((n) => assertVolumeName(n));
    const state = this.store.snapshot();
    const table = this.table();
    const views = names.map((n) => {
      const rec = state.volumes[n];
      if (!rec) throw volumeNotFound(n);
      return this.view(rec, table);
    });
    await this.correctStale(views);
    await this.pluginVolumes.annotate(views, true);
    addUsage(views);
    return views;
  }

  async list(filters: ListFilters = {}): Promise<VolumeInspect[]> {
    const state = this.store.snapshot();
    const table = this.table();
    const views: VolumeInspect[] = [];
    for (const name of sortedNames(state)) {
      const view = this.view(state.volumes[name]!, table);
      if (matches(view, filters)) views.push(view);
    }
    await this.correctStale(views);
    await this.pluginVolumes.annotate(views, false);
    addUsage(views);
    return views;
  }

  /**
   * Writes back the counters that views found to be lies. A volume whose lock is held is
   * skipped: the operation in flight will leave it right, and a list must not wait on it.
   */
  async correctStale(views: VolumeInspect[]): Promise<string[]> {
    const stale = views.filter((v) => v.Reconciled);
    const fixed: string[] = [];
    for (const v of stale) {
      const release = await tryAcquire(this.layout.locksDir, volumeLock(v.Name));
      if (!release) continue;
      try {
        const stillStale = !this.table().has(this.mountpoint(v.Name));
        if (!stillStale) continue;
        await this.store.update((data) => {
          const rec = data.volumes[v.Name];
          if (rec && rec.mountCount > 0) {
            rec.mountCount = 0;
            fixed.push(v.Name);
          }
        });
      } finally {
        await release();
      }
    }
    return fixed;
  }

  /** Reconciles every volume with the mount table; run at start and when the table changes. */
  async reconcile(): Promise<string[]> {
    const state = this.store.snapshot();
    const table = this.table();
    return this.correctStale(Object.values(state.volumes).map((r) => this.view(r, table)));
  }

  /**
   * Mounts each volume: increments the counter, and mounts for real only when the volume
   * is not mounted yet (counter 0, or a counter the mount table proves stale). All real
   * mounts of the batch run in one runner call: one password prompt.
   */
  async mount(names: string[]): Promise<BatchItem<MountOutcome>[]> {
    names.forEach((n) => assertVolumeName(n));
    const unique = [...new Set(names)];
    return this.withVolumeLocks(unique, () => this.mountLocked(unique));
  }

  /** mount's body; the caller holds the locks of `unique`. */
  private async mountLocked(unique: string[]): Promise<BatchItem<MountOutcome>[]> {
    const state = this.store.read();
    const table = this.table();
    const items = new Map<string, BatchItem<MountOutcome>>();
    const real = new Map<string, { job: Job; spec: LocalMountSpec }>();
    const bump: string[] = [];
    const pluginFirst: VolumeRecord[] = [];
    for (const name of unique) {
      const rec = state.volumes[name];
      if (!rec) {
        items.set(name, { name, ok: false, error: volumeNotFound(name).toJSON() });
        continue;
      }
      if (rec.driver !== 'local') {
        if (rec.mountCount > 0) bump.push(name);
        else pluginFirst.push(rec);
        continue;
      }
      const mp = this.mountpoint(name);
      if (!needsMount(rec) || table.has(mp)) {
        bump.push(name);
        continue;
      }
      try {
        const spec = parseLocalOptions(rec.options);
        if (spec.nfs) await probeNfs(spec.nfs);
        mkdirSync(mp, { recursive: true, mode: 0o755 });
        real.set(name, { job: mountJob(spec, mp), spec });
      } catch (err) {
        items.set(name, { name, ok: false, error: toGuided(err).toJSON() });
      }
    }
    const planned = [...real.entries()];
    const results = await this.runner.run(planned.map(([, p]) => p.job));
    const mounted: string[] = [];
    planned.forEach(([name, p], i) => {
      const r = results[i]!;
      if (r.ok) mounted.push(name);
      else items.set(name, { name, ok: false, error: classifyMountError(name, p.spec, r.error).toJSON() });
    });
    const pluginMountpoints = new Map<string, string>();
    for (const rec of pluginFirst) {
      try {
        pluginMountpoints.set(rec.name, await this.pluginVolumes.mount(rec));
        mounted.push(rec.name);
      } catch (err) {
        items.set(rec.name, { name: rec.name, ok: false, error: toGuided(err).toJSON() });
      }
    }
    await this.store.update((data) => {
      for (const name of [...bump, ...mounted]) {
        const rec = data.volumes[name];
        if (!rec) continue;
        rec.mountCount = mounted.includes(name) ? 1 : rec.mountCount + 1;
        const pluginMp = pluginMountpoints.get(name);
        if (pluginMp !== undefined) rec.mountpoint = pluginMp;
        const mountpoint = rec.driver === 'local' ? this.mountpoint(name) : (rec.mountpoint ?? '');
        items.set(name, { name, ok: true, value: { Mountpoint: mountpoint, MountCount: rec.mountCount } });
      }
    });
    return unique.map((n) => items.get(n) ?? { name: n, ok: false, error: volumeNotFound(n).toJSON() });
  }

  /**
   * Unmounts each volume: decrements the counter (to 0 with force); at 0 unmounts for real.
   * Unmounting at 0 is a no-op; "not mounted" from umount is not an error. A busy volume
   * keeps its count and names the processes that hold it; force detaches it lazily.
   */
  async unmount(names: string[], force = false): Promise<BatchItem<UnmountOutcome>[]> {
    names.forEach((n) => assertVolumeName(n));
    const unique = [...new Set(names)];
    return this.withVolumeLocks(unique, () => this.unmountLocked(unique, force));
  }

  /** unmount's body; the caller holds the locks of `unique`. */
  private async unmountLocked(unique: string[], force: boolean): Promise<BatchItem<UnmountOutcome>[]> {
    const state = this.store.read();
    const table = this.table();
    const items = new Map<string, BatchItem<UnmountOutcome>>();
    const target = new Map<string, number>();
    const real: string[] = [];
    const pluginLast: VolumeRecord[] = [];
    for (const name of unique) {
      const rec = state.volumes[name];
      if (!rec) {
        items.set(name, { name, ok: false, error: volumeNotFound(name).toJSON() });
        continue;
      }
      const next = force ? 0 : Math.max(0, rec.mountCount - 1);
      target.set(name, next);
      if (rec.driver !== 'local') {
        if (next === 0 && rec.mountCount > 0) pluginLast.push(rec);
        continue;
      }
      const mounted = needsMount(rec) && table.has(this.mountpoint(name));
      if (next === 0 && mounted && (rec.mountCount > 0 || force)) real.push(name);
    }
    const results = await this.runner.run(real.map((n) => unmountJob(this.mountpoint(n), force)));
    real.forEach((name, i) => {
      const r = results[i]!;
      if (r.ok || isNotMounted(r.error)) return;
      target.delete(name);
      const mp = this.mountpoint(name);
      const error = isBusy(r.error) ? targetBusy(mp, processesUsing(mp), r.error, name) : classifyUnmountError(name, r.error);
      items.set(name, { name, ok: false, error: error.toJSON() });
    });
    for (const rec of pluginLast) {
      try {
        await this.pluginVolumes.unmount(rec);
      } catch (err) {
        // As podman: a refused unmount keeps the counter, so the volume still shows as mounted.
        target.delete(rec.name);
        items.set(rec.name, { name: rec.name, ok: false, error: toGuided(err).toJSON() });
      }
    }
    await this.store.update((data) => {
      for (const [name, next] of target) {
        const rec = data.volumes[name];
        if (!rec) continue;
        rec.mountCount = next;
        if (next === 0) delete rec.mountpoint;
        items.set(name, { name, ok: true, value: { MountCount: next } });
      }
    });
    return unique.map((n) => items.get(n)!);
  }

  /**
   * Removes volumes. A mounted one is refused unless forced, when it is detached first. The
   * data directory is deleted only after the mount table shows nothing mounted under it:
   * deleting through a live mount would delete the mounted filesystem's files.
   */
  async remove(names: string[], force = false): Promise<BatchItem<RemoveOutcome>[]> {
    names.forEach((n) => assertVolumeName(n));
    const unique = [...new Set(names)];
    const items: BatchItem<RemoveOutcome>[] = [];
    for (const name of unique) {
      try {
        items.push({ name, ok: true, value: await this.removeOne(name, force) });
      } catch (err) {
        items.push({ name, ok: false, error: toGuided(err, 'UNMOUNT_FAILED').toJSON() });
      }
    }
    return items;
  }

  /**
   * Removes one volume; the caller holds nothing. A plugin volume is removed by its plugin
   * first; with force, a plugin that refuses or is gone only earns a warning.
   */
  private async removeOne(name: string, force: boolean): Promise<RemoveOutcome> {
    return this.withVolumeLocks([name], async () => {
      const rec = this.store.read().volumes[name];
      if (!rec) throw volumeNotFound(name);
      const view = this.view(rec);
      const warnings: string[] = [];
      if (view.MountCount > 0 || view.Mounted) {
        if (!force) throw volumeInUse(name, Math.max(view.MountCount, 1));
        const [r] = await this.unmountLocked([name], true);
        if (!r!.ok && rec.driver === 'local') throw new GuidedError(r!.error!);
        if (!r!.ok) warnings.push(`the plugin did not unmount ${name}: ${r!.error!.happened}`);
      }
      if (rec.driver === 'local') this.removeLocalData(name);
      else {
        const warning = await this.pluginVolumes.remove(rec, force);
        if (warning) warnings.push(warning);
      }
      await this.store.update((data) => {
        delete data.volumes[name];
      });
      return warnings.length ? { warning: warnings.join('; ') } : {};
    });
  }

  /** Deletes a local volume's directory, never through a live mount. Caller holds the lock. */
  private removeLocalData(name: string): void {
    const dir = volumeDir(this.layout, name);
    const under = [...this.table().keys()].find((mp) => mp === dir || mp.startsWith(`${dir}/`));
    if (under) throw volumeInUse(name, 1);
    rmSync(dir, { recursive: true, force: true });
  }

  /** Removes every volume that is not mounted; returns the names removed. */
  async prune(): Promise<string[]> {
    const unused = (await this.list()).filter((v) => v.MountCount === 0 && !v.Mounted).map((v) => v.Name);
    const results = await this.remove(unused, false);
    return results.filter((r) => r.ok).map((r) => r.name);
  }

  /** `local`, then every plugin found, each asked whether it answers. */
  async drivers(): Promise<DriverInfo[]> {
    return [{ Name: 'local', Source: 'builtin', Answers: true, Scope: 'local' }, ...(await this.plugins.describe())];
  }

  /**
   * podman's `volume reload`: volumes a plugin lists that the state lacks are added, and
   * volumes of an answering plugin that it no longer lists are dropped. The volumes of a
   * plugin that does not answer are left alone: its silence proves nothing.
   */
  async reload(): Promise<ReloadReport> {
    const { lists, errors } = await this.pluginVolumes.listAll();
    const state = this.store.read();
    const owner = new Map(Object.values(state.volumes).map((r) => [r.name, r.driver]));
    const add: VolumeRecord[] = [];
    const listedBy = new Map<string, Set<string>>();
    for (const [driver, volumes] of [...lists].sort(([a], [b]) => a.localeCompare(b))) {
      const listed = new Set<string>();
      listedBy.set(driver, listed);
      for (const v of volumes) {
        if (v.Name.length > 128 || !NAME_PATTERN.test(v.Name)) {
          errors.push({ Driver: driver, Volume: v.Name, Error: `${JSON.stringify(v.Name)} is not a valid volume name; not added` });
          continue;
        }
        listed.add(v.Name);
        const has = owner.get(v.Name);
        if (has === undefined) {
          owner.set(v.Name, driver);
          add.push({ name: v.Name, driver, options: {}, labels: {}, createdAt: v.CreatedAt || new Date().toISOString(), mountCount: 0 });
        } else if (has !== driver) {
          errors.push({ Driver: driver, Volume: v.Name, Error: `a volume named ${v.Name} already exists with driver ${has}; not added` });
        }
      }
    }
    const drop = Object.values(state.volumes).filter((r) => listedBy.get(r.driver)?.has(r.name) === false).map((r) => r.name);
    const report: ReloadReport = { Added: [], Removed: [], Errors: errors };
    if (add.length === 0 && drop.length === 0) return report;
    await this.withVolumeLocks([...add.map((r) => r.name), ...drop], () =>
      this.store.update((data) => {
        for (const rec of add) {
          if (data.volumes[rec.name]) continue;
          data.volumes[rec.name] = rec;
          report.Added.push(rec.name);
        }
        for (const name of drop) {
          const rec = data.volumes[name];
          if (!rec || listedBy.get(rec.driver)?.has(name) !== false) continue;
          delete data.volumes[name];
          report.Removed.push(name);
        }
      }),
    );
    return report;
  }

  /** The server's exports, for choosing one before creating an NFS volume. */
  async nfsExports(server: string): Promise<NfsExport[]> {
    assertNfsServer(server);
    const { exports, error } = await listExports(server);
    // showmount asks the server's portmapper (port 111) first.
    if (!exports) throw nfsServerUnreachable(server, 111, error);
    return exports;
  }
}
