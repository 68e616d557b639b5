// The volume engine: podman's volume semantics over one shared store. Every operation that
// changes a volume holds that volume's lock for its whole duration and re-reads the record
// from the store under it, because the app, the command line and other windows share the
// store. Only the first mount and the last unmount touch the system.

import { chownSync, mkdirSync, rmSync } from 'node:fs';
import type { BatchItem, DriverInfo, ListFilters, MountOutcome, NfsExport, ReloadReport, UnmountOutcome, VolumeInspect } from '../api/types.js';
import type { CreateRequest, RemoveOutcome } from '../api/contract.js';
import { mountJob, unmountJob } from '../drivers/local/plan.js';
import { nfsServerUnreachable, reloadInvalidName, reloadKeptMounted, reloadNameClash, targetBusy, volumeExists, volumeInUse, volumeNotFound } from '../errors/catalogue.js';
import { classifyMountError, classifyUnmountError, isBusy, isNotMounted } from '../drivers/local/classify.js';
import { GuidedError, toGuided } from '../errors/guided-error.js';
import { assertNfsServer, listExports, probeNfs } from '../drivers/local/nfs-probe.js';
import { defaultLocations, type PluginLocations } from '../plugins/locations.js';
import { PluginRegistry } from '../plugins/registry.js';
import { acquire, tryAcquire, type Release } from '../state/locks.js';
import { mountpointOf, openLayout, volumeDir, type StateLayout } from '../state/layout.js';
import type { StateData, VolumeRecord } from '../state/schema.js';
import { StateStore, type BackendFactory } from '../state/state-store.js';
import { stateWriteError } from '../state/write-errors.js';
import type { Job } from '../system/commands.js';
import { DirectRunner, type Runner } from '../system/direct-runner.js';
import { ElevatedRunner } from '../system/elevated-runner.js';
import { elevatedTarget, storeIdOf } from '../system/elevated-targets.js';
import { faultPoint } from '../system/fault-points.js';
import { processesUsing } from '../system/holders.js';
import { indexByMountpoint, readMountTable, type MountEntry } from '../system/mountinfo.js';
import { validateLabels } from './labels.js';
import { parseLocalOptions, type LocalMountSpec } from '../drivers/local/options.js';
import { assertDriverName, assertVolumeName, NAME_PATTERN } from '../api/names.js';
import { parsePluginOptions } from '../drivers/plugin/options.js';
import { PluginVolumes } from '../drivers/plugin/plugin-volumes.js';
import { mountNotRecorded, unmountNotRecorded } from './record-failure.js';
import { addUsage } from './usage.js';
import { countedAs, inInspectOrder, kindOf, matches, needsMount, toView } from './view.js';

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
  /** Where a volume that is mounted through elevation goes: a tree only root can change. */
  private readonly elevatedPrefix: string | undefined;

  constructor(opts: EngineOptions) {
    this.layout = openLayout(opts.stateDir);
    this.store = new StateStore(this.layout, opts.backend);
    this.runner = opts.runner ?? (process.geteuid?.() === 0 ? new DirectRunner() : new ElevatedRunner());
    this.lockWaitMs = opts.lockWaitMs ?? 120_000;
    this.plugins = new PluginRegistry(opts.plugins ?? defaultLocations());
    this.pluginVolumes = new PluginVolumes(this.plugins);
    this.elevatedPrefix = this.runner.elevated ? elevatedTarget(process.getuid?.() ?? -1, storeIdOf(this.layout.dir), '') : undefined;
  }

  /** Releases what outlives a call (kept-alive plugin connections); for long-lived hosts. */
  close(): void {
    this.plugins.close();
  }

  /**
   * A local volume's mountpoint. As root, podman's layout in the state directory. Elevated,
   * a volume that is mounted gets a target in the root-owned tree (elevated-targets.ts),
   * because the user can change everything in the state directory; a plain directory stays
   * there, since root never touches it.
   */
  private targetOf(rec: VolumeRecord): string {
    if (this.elevatedPrefix !== undefined && rec.driver === 'local' && kindOf(rec) !== 'directory') return this.elevatedPrefix + rec.name;
    return mountpointOf(this.layout, rec.name);
  }

  /** The mountpoint of the volume `name` as it is stored now (podman's path for an unknown name). */
  mountpoint(name: string): string {
    const rec = this.store.snapshot().volumes[name];
    return rec ? this.targetOf(rec) : mountpointOf(this.layout, name);
  }

  private table(): Map<string, MountEntry> {
    return indexByMountpoint(readMountTable());
  }

  private view(rec: VolumeRecord, table = this.table()): VolumeInspect {
    return toView(rec, this.targetOf(rec), table);
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
      parsePluginOptions(req.options ?? {});
    }
    if (this.store.snapshot().volumes[req.name]) throw volumeExists(req.name);
    return spec;
  }

  /**
   * Creates a volume. Bad names and options throw before anything is written, and a create
   * that fails later takes back what it made (the directory, the plugin's volume).
   */
  async create(req: CreateRequest): Promise<VolumeInspect> {
    const spec = this.validate(req);
    const driver = req.driver ?? 'local';
    const options = { ...(req.options ?? {}) };
    const labels = { ...(req.labels ?? {}) };
    const rec: VolumeRecord = { name: req.name, driver, options, labels, createdAt: new Date().toISOString(), mountCount: 0 };
    if (!spec) Object.assign(rec, parsePluginOptions(options));
    return this.withVolumeLocks([req.name], async () => {
      if (this.store.read().volumes[req.name]) throw volumeExists(req.name);
      if (!spec) {
        const how = await this.pluginVolumes.create(rec);
        // An adopted volume was the plugin's before: a failed record must not remove it.
        return this.saveNew(rec, () => how === 'created' && this.pluginVolumes.remove(rec, true));
      }
      const made = this.makeVolumeDir(rec, spec);
      faultPoint('create:after-mkdir');
      return this.saveNew(rec, () => made && rmSync(made, { recursive: true, force: true }));
    });
  }

  /**
   * Makes what a new local volume needs in the state directory, as this user: podman's
   * volumes/NAME/_data, except for a volume that an elevated mount will use (its target is
   * made by root, in root's tree). Returns the first directory it made, for an undo.
   */
  private makeVolumeDir(rec: VolumeRecord, spec: LocalMountSpec): string | undefined {
    const dir = this.targetOf(rec);
    if (!dir.startsWith(`${this.layout.volumesDir}/`)) return undefined;
    try {
      const made = mkdirSync(dir, { recursive: true, mode: 0o755 });
      if (spec.owner) chownSync(dir, spec.owner.uid ?? -1, spec.owner.gid ?? -1);
      return made;
    } catch (err) {
      throw stateWriteError(err, this.layout.dir);
    }
  }

  /** Stores a new volume's record, or runs `undo` and rethrows; the caller holds its lock. */
  private async saveNew(rec: VolumeRecord, undo: () => unknown): Promise<VolumeInspect> {
    try {
      await this.store.update((data) => {
        if (data.volumes[rec.name]) throw volumeExists(rec.name);
        data.volumes[rec.name] = rec;
      });
    } catch (err) {
      await Promise.resolve()
        .then(undo)
        .catch(() => undefined);
      throw err;
    }
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
    await this.saveReconciled(views);
    await this.pluginVolumes.annotate(views, true);
    addUsage(views);
    return views.map(inInspectOrder);
  }

  async list(filters: ListFilters = {}): Promise<VolumeInspect[]> {
    const state = this.store.snapshot();
    const table = this.table();
    const views: VolumeInspect[] = [];
    for (const name of sortedNames(state)) {
      const view = this.view(state.volumes[name]!, table);
      if (matches(view, filters)) views.push(view);
    }
    await this.saveReconciled(views);
    await this.pluginVolumes.annotate(views, false);
    addUsage(views);
    return views;
  }

  /**
   * Writes back the counters that views found to disagree with the mount table, both ways.
   * A volume whose lock is held is skipped: the operation in flight will leave it right, and a
   * list must not wait on it. A write that fails (read-only or full state directory) is said
   * in the view's Reconciled, and never fails the list: the view already shows the truth.
   */
  async saveReconciled(views: VolumeInspect[]): Promise<string[]> {
    const fixed: string[] = [];
    for (const v of views) {
      if (!v.Reconciled) continue;
      try {
        const release = await tryAcquire(this.layout.locksDir, volumeLock(v.Name));
        if (!release) continue;
        try {
          await this.store.update((data) => {
            const rec = data.volumes[v.Name];
            if (!rec || rec.driver !== 'local' || !needsMount(rec)) return;
            const counted = countedAs(rec.mountCount, this.table().has(this.targetOf(rec)));
            if (counted === rec.mountCount) return;
            rec.mountCount = counted;
            fixed.push(v.Name);
          });
        } finally {
          await release();
        }
      } catch (err) {
        v.Reconciled += `; not saved: ${toGuided(err).happened}`;
      }
    }
    return fixed;
  }

  /** Reconciles every volume with the mount table; run at start and when the table changes. */
  async reconcile(): Promise<string[]> {
    const state = this.store.snapshot();
    const table = this.table();
    return this.saveReconciled(Object.values(state.volumes).map((r) => this.view(r, table)));
  }

  /**
   * Mounts each volume: increments the counter, and mounts for real only when the volume
   * is not mounted yet. The counter it increments is the one the mount table proves (see
   * countedAs), so an unrecorded mount is adopted, not mounted twice. All real mounts of the
   * batch run in one runner call: one password prompt.
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
    const real = new Map<string, { job: Job; spec: LocalMountSpec; rec: VolumeRecord }>();
    /** The count each volume has before this call, for those this call counts. */
    const before = new Map<string, number>();
    const pluginFirst: VolumeRecord[] = [];
    for (const name of unique) {
      const rec = state.volumes[name];
      if (!rec) {
        items.set(name, { name, ok: false, error: volumeNotFound(name).toJSON() });
        continue;
      }
      const view = this.view(rec, table);
      if (rec.driver !== 'local') {
        if (rec.mountCount > 0) before.set(name, rec.mountCount);
        else pluginFirst.push(rec);
        continue;
      }
      if (!view.NeedsMount || view.Mounted) {
        before.set(name, view.MountCount);
        continue;
      }
      try {
        const spec = parseLocalOptions(rec.options);
        if (spec.nfs) await probeNfs(spec.nfs);
        const mp = this.targetOf(rec);
        // Root makes elevated targets itself, in its own tree; as root, podman's directory.
        if (!this.runner.elevated) mkdirSync(mp, { recursive: true, mode: 0o755 });
        real.set(name, { job: mountJob(spec, mp), spec, rec });
      } catch (err) {
        items.set(name, { name, ok: false, error: toGuided(stateWriteError(err, this.layout.dir)).toJSON() });
      }
    }
    faultPoint('mount:before-system');
    const planned = [...real.entries()];
    const results = await this.runner.run(planned.map(([, p]) => p.job));
    const mountedLocal: VolumeRecord[] = [];
    planned.forEach(([name, p], i) => {
      const r = results[i]!;
      if (r.ok) {
        mountedLocal.push(p.rec);
        before.set(name, 0);
      } else items.set(name, { name, ok: false, error: classifyMountError(name, p.spec, r.error).toJSON() });
    });
    const pluginMountpoints = new Map<string, string>();
    for (const rec of pluginFirst) {
      try {
        pluginMountpoints.set(rec.name, await this.pluginVolumes.mount(rec));
        before.set(rec.name, 0);
      } catch (err) {
        items.set(rec.name, { name: rec.name, ok: false, error: toGuided(err).toJSON() });
      }
    }
    faultPoint('mount:after-system');
    try {
      // Nothing to count (every volume failed): the state is left as it is, not rewritten.
      if (before.size) await this.store.update((data) => this.countMounts(data, before, pluginMountpoints, items));
    } catch (err) {
      const undone = await this.undoMounts(mountedLocal, pluginFirst.filter((r) => pluginMountpoints.has(r.name)));
      const e = toGuided(err);
      for (const name of before.keys()) {
        const mounted = mountedLocal.some((r) => r.name === name) || pluginMountpoints.has(name);
        const left = !mounted ? 'unchanged' : undone.has(name) ? 'undone' : 'left-mounted';
        items.set(name, { name, ok: false, error: mountNotRecorded(e, name, left) });
      }
    }
    return unique.map((n) => items.get(n) ?? { name: n, ok: false, error: volumeNotFound(n).toJSON() });
  }

  /** Records the mounts of one call: each count of `before` plus one; inside the store's update. */
  private countMounts(data: StateData, before: Map<string, number>, pluginMountpoints: Map<string, string>, items: Map<string, BatchItem<MountOutcome>>): void {
    for (const [name, count] of before) {
      const rec = data.volumes[name];
      if (!rec) continue;
      rec.mountCount = count + 1;
      const pluginMp = pluginMountpoints.get(name);
      if (pluginMp !== undefined) rec.mountpoint = pluginMp;
      const mountpoint = rec.driver === 'local' ? this.targetOf(rec) : (rec.mountpoint ?? '');
      items.set(name, { name, ok: true, value: { Mountpoint: mountpoint, MountCount: rec.mountCount } });
    }
  }

  /**
   * Takes back mounts made by a call whose state write failed; the caller holds their locks.
   * Elevated mounts stay (undoing one would ask for the password again): the mount table
   * shows them, and reconcile adopts them. Returns the names undone.
   */
  private async undoMounts(local: VolumeRecord[], plugin: VolumeRecord[]): Promise<Set<string>> {
    const undone = new Set<string>();
    if (!this.runner.elevated && local.length) {
      const results = await this.runner.run(local.map((r) => unmountJob(this.targetOf(r), false)));
      local.forEach((r, i) => results[i]!.ok && undone.add(r.name));
    }
    for (const rec of plugin) {
      await this.pluginVolumes.unmount(rec).then(
        () => undone.add(rec.name),
        () => undefined,
      );
    }
    return undone;
  }

  /**
   * Unmounts each volume: decrements the counter (to 0 with force); at 0 unmounts for real.
   * Unmounting at 0 is a no-op; "not mounted" from umount is not an error. A busy volume
   * keeps its count and names the processes that hold it; force detaches it lazily. As in
   * mount, the counter is the one the mount table proves, so an unrecorded mount unmounts.
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
    const real: VolumeRecord[] = [];
    const pluginLast: VolumeRecord[] = [];
    for (const name of unique) {
      const rec = state.volumes[name];
      if (!rec) {
        items.set(name, { name, ok: false, error: volumeNotFound(name).toJSON() });
        continue;
      }
      const view = this.view(rec, table);
      const next = force ? 0 : Math.max(0, view.MountCount - 1);
      target.set(name, next);
      if (rec.driver !== 'local') {
        if (next === 0 && rec.mountCount > 0) pluginLast.push(rec);
        continue;
      }
      if (next === 0 && view.NeedsMount && view.Mounted) real.push(rec);
    }
    faultPoint('unmount:before-system');
    const results = await this.runner.run(real.map((r) => unmountJob(this.targetOf(r), force)));
    const unmounted: string[] = [];
    real.forEach((rec, i) => {
      const r = results[i]!;
      if (r.ok || isNotMounted(r.error)) return void unmounted.push(rec.name);
      target.delete(rec.name);
      const mp = this.targetOf(rec);
      const error = isBusy(r.error) ? targetBusy(mp, processesUsing(mp), r.error, rec.name) : classifyUnmountError(rec.name, r.error);
      items.set(rec.name, { name: rec.name, ok: false, error: error.toJSON() });
    });
    for (const rec of pluginLast) {
      try {
        await this.pluginVolumes.unmount(rec);
        unmounted.push(rec.name);
      } catch (err) {
        // As podman: a refused unmount keeps the counter, so the volume still shows as mounted.
        target.delete(rec.name);
        items.set(rec.name, { name: rec.name, ok: false, error: toGuided(err).toJSON() });
      }
    }
    faultPoint('unmount:after-system');
    try {
      if (target.size) await this.store.update((data) => this.countUnmounts(data, target, items));
    } catch (err) {
      const e = toGuided(err);
      for (const name of target.keys()) {
        const left = !unmounted.includes(name) ? 'unchanged' : state.volumes[name]!.driver === 'local' ? 'unmounted' : 'plugin-unmounted';
        items.set(name, { name, ok: false, error: unmountNotRecorded(e, name, left) });
      }
    }
    return unique.map((n) => items.get(n)!);
  }

  /** Records the counts an unmount call leaves; inside the store's update. */
  private countUnmounts(data: StateData, target: Map<string, number>, items: Map<string, BatchItem<UnmountOutcome>>): void {
    for (const [name, next] of target) {
      const rec = data.volumes[name];
      if (!rec) continue;
      rec.mountCount = next;
      if (next === 0) delete rec.mountpoint;
      items.set(name, { name, ok: true, value: { MountCount: next } });
    }
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
        items.push({ name, ok: false, error: toGuided(err).toJSON() });
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
      if (rec.driver === 'local') this.removeLocalData(rec);
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

  /**
   * Deletes a local volume's directory in the state directory, as this user and never through
   * a live mount. An elevated target holds no data (root removes it at the last unmount).
   * Caller holds the lock.
   */
  private removeLocalData(rec: VolumeRecord): void {
    const dir = volumeDir(this.layout, rec.name);
    const mounts = [...this.table().keys()];
    const under = mounts.find((mp) => mp === dir || mp.startsWith(`${dir}/`) || mp === this.targetOf(rec));
    if (under) throw volumeInUse(rec.name, 1);
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch (err) {
      throw stateWriteError(err, this.layout.dir);
    }
  }

  /** Removes every volume that is not mounted; one outcome per volume tried, failures too. */
  async prune(): Promise<BatchItem<RemoveOutcome>[]> {
    const unused = (await this.list()).filter((v) => v.MountCount === 0 && !v.Mounted).map((v) => v.Name);
    return this.remove(unused, false);
  }

  /** `local`, then every plugin found, each asked whether it answers. */
  async drivers(): Promise<DriverInfo[]> {
    return [{ Name: 'local', Source: 'builtin', Answers: true, Scope: 'local' }, ...(await this.plugins.describe())];
  }

  /**
   * podman's `volume reload`: volumes a plugin lists that the state lacks are added, and
   * volumes of an answering plugin that it no longer lists are dropped, unless mounted (kept,
   * and reported). The volumes of a plugin that does not answer are left alone: its silence
   * proves nothing.
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
          errors.push({ Driver: driver, Volume: v.Name, Error: reloadInvalidName(driver, v.Name).toJSON() });
          continue;
        }
        listed.add(v.Name);
        const has = owner.get(v.Name);
        if (has === undefined) {
          owner.set(v.Name, driver);
          // Our own time, as podman: the plugin's CreatedAt is in whatever format it likes.
          add.push({ name: v.Name, driver, options: {}, labels: {}, createdAt: new Date().toISOString(), mountCount: 0 });
        } else if (has !== driver) {
          errors.push({ Driver: driver, Volume: v.Name, Error: reloadNameClash(driver, v.Name, has).toJSON() });
        }
      }
    }
    const gone = Object.values(state.volumes).filter((r) => listedBy.get(r.driver)?.has(r.name) === false);
    // A mounted volume is never dropped: its mount would be lost track of.
    for (const r of gone.filter((r) => r.mountCount > 0)) errors.push({ Driver: r.driver, Volume: r.name, Error: reloadKeptMounted(r.driver, r.name, r.mountCount).toJSON() });
    const drop = gone.filter((r) => r.mountCount === 0).map((r) => r.name);
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
          if (!rec || rec.mountCount > 0 || listedBy.get(rec.driver)?.has(name) !== false) continue;
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
