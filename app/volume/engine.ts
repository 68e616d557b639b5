// The volume engine: podman's volume semantics over one shared store. Every operation that
// changes a volume holds that volume's lock for its whole duration and re-reads the record
// from the store under it, because the app, the command line and other windows share the
// store. Only the first mount and the last unmount touch the system, through the volume's
// driver (drivers/driver.ts); the engine keeps the counter, the locks and the state, and
// never asks which driver it talks to.

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { CreateRequest, RemoveOutcome } from '../api/contract.js';
import { assertDriverName, assertVolumeName } from '../api/names.js';
import type { BatchItem, DriverInfo, ListFilters, MountOutcome, MountPolicy, ReloadReport, RestoreItem, UnmountOutcome, VolumeInspect } from '../api/types.js';
import type { VolumeDriver } from '../drivers/driver.js';
import { driverRegistry, type Drivers } from '../drivers/registry.js';
import { volumeExists, volumeInUse, volumeNotFound } from '../errors/catalogue.js';
import { GuidedError, toGuided } from '../errors/guided-error.js';
import { defaultLocations, type PluginLocations } from '../plugin-client/locations.js';
import { PluginRegistry } from '../plugin-client/registry.js';
import { acquire, tryAcquire, type Release } from '../state/locks.js';
import { openLayout, type StateLayout } from '../state/layout.js';
import type { StateData, VolumeRecord } from '../state/schema.js';
import { StateStore, type BackendFactory } from '../state/state-store.js';
import { DirectRunner, type Runner } from '../system/direct-runner.js';
import { ElevatedRunner } from '../system/elevated-runner.js';
import { assertAutostartable, syncAutostart, type AutostartTarget } from '../system/autostart.js';
import { storeIdOf } from '../system/elevated-targets.js';
import { faultPoint } from '../system/fault-points.js';
import { lazyMountTable, type MountTable } from '../system/mountinfo.js';
import { validateLabels } from './labels.js';
import { mountNotRecorded, unmountNotRecorded } from './record-failure.js';
import { planReload } from './reload-plan.js';
import { countedAs, inInspectOrder, matches, toView } from './view.js';

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

/** `items` grouped by the driver that serves each, in the order the drivers were met. */
function byDriver<T>(items: T[], driverOf: (item: T) => VolumeDriver): Map<VolumeDriver, T[]> {
  const groups = new Map<VolumeDriver, T[]>();
  for (const item of items) {
    const d = driverOf(item);
    const group = groups.get(d);
    if (group) group.push(item);
    else groups.set(d, [item]);
  }
  return groups;
}

export class VolumeEngine {
  readonly layout: StateLayout;
  readonly store: StateStore;
  readonly plugins: PluginRegistry;
  private readonly lockWaitMs: number;
  private readonly registry: Drivers;
  /** What runs root's side: directly as root, or through polkit. */
  readonly runner: Runner;
  private readonly autostart: AutostartTarget | undefined;

  constructor(opts: EngineOptions) {
    this.layout = openLayout(opts.stateDir);
    this.store = new StateStore(this.layout, opts.backend);
    const runner = (this.runner = opts.runner ?? (process.geteuid?.() === 0 ? new DirectRunner() : new ElevatedRunner()));
    this.lockWaitMs = opts.lockWaitMs ?? 120_000;
    this.plugins = new PluginRegistry(opts.plugins ?? defaultLocations());
    this.registry = driverRegistry(this.layout, runner, this.plugins);
    this.autostart = opts.autostart;
  }

  /** Releases what outlives a call (kept-alive plugin connections); for long-lived hosts. */
  close(): void {
    this.plugins.close();
  }

  private driverOf(rec: VolumeRecord): VolumeDriver {
    return this.registry.of(rec.driver, rec.options);
  }

  /** The mountpoint of the volume `name` as it is stored now; '' for an unknown name. */
  mountpoint(name: string): string {
    const rec = this.store.snapshot().volumes[name];
    return rec ? this.driverOf(rec).mountpoint(rec) : '';
  }

  private table(): MountTable {
    return lazyMountTable();
  }

  private view(rec: VolumeRecord, table = this.table()): VolumeInspect {
    return toView(rec, this.driverOf(rec), table);
  }

  /**
   * Forgets the counters of another boot (see StateStore.update) before anything reads them.
   * Cheap when nothing rebooted: a stat and a comparison. A state that cannot be written still
   * lists; its counters are then put right by the next write.
   */
  private async afterReboot(): Promise<void> {
    if (!this.store.fromAnotherBoot()) return;
    await this.store.update(() => undefined).catch(() => undefined);
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
   * Checks a create request without writing anything: name, labels, the driver's options, and
   * that the name is free. Returns the record a create would store.
   */
  validate(req: CreateRequest): VolumeRecord {
    assertVolumeName(req.name);
    validateLabels(req.labels ?? {});
    const driver = req.driver ?? 'local';
    assertDriverName(driver);
    const parsed = this.registry.of(driver, req.options ?? {}).parse(req.options ?? {});
    if (req.mountAt === 'login' && this.autostart) assertAutostartable(this.autostart.exec);
    if (this.store.snapshot().volumes[req.name]) throw volumeExists(req.name);
    return { name: req.name, driver, ...parsed, labels: { ...(req.labels ?? {}) }, createdAt: new Date().toISOString(), mountCount: 0, ...(req.mountAt === 'login' ? { mountAt: 'login' as const } : {}) };
  }

  /**
   * Creates a volume. Bad names and options throw before anything is written, and a create
   * that fails later takes back what it made (the directory, the plugin's volume).
   */
  async create(req: CreateRequest): Promise<VolumeInspect> {
    const rec = this.validate(req);
    return this.withVolumeLocks([rec.name], async () => {
      if (this.store.read().volumes[rec.name]) throw volumeExists(rec.name);
      const undo = await this.driverOf(rec).create(rec);
      faultPoint('create:after-mkdir');
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
      if (rec.mountAt) this.syncAutostart();
      return this.view(rec);
    });
  }

  /** Changes a volume's mount policy, and with it whether the autostart entry exists. */
  async set(name: string, mountAt: MountPolicy): Promise<VolumeInspect> {
    assertVolumeName(name);
    if (mountAt === 'login' && this.autostart) assertAutostartable(this.autostart.exec);
    const rec = await this.withVolumeLocks([name], () =>
      this.store.update((data) => {
        const r = data.volumes[name];
        if (!r) throw volumeNotFound(name);
        if (mountAt === 'login') r.mountAt = 'login';
        else delete r.mountAt;
        return r;
      }),
    );
    this.syncAutostart();
    const [view] = await this.inspect([rec.name]);
    return view!;
  }

  /**
   * Mounts every `login` volume that is not mounted, all in one mount call: the elevated ones
   * share one password prompt, SSH volumes mount in parallel (one dead server costs only its
   * own timeout), and a volume that is already mounted is left as it is, so running it twice
   * changes nothing.
   */
  async restore(): Promise<RestoreItem[]> {
    await this.afterReboot();
    const table = this.table();
    const wanted = Object.values(this.store.snapshot().volumes).filter((r) => r.mountAt === 'login');
    const items: RestoreItem[] = [];
    const toMount: string[] = [];
    for (const rec of wanted.sort((a, b) => a.name.localeCompare(b.name))) {
      const view = this.view(rec, table);
      if (view.Mounted || view.MountCount > 0) items.push({ Name: rec.name, Result: 'already mounted', Mountpoint: view.Mountpoint });
      else toMount.push(rec.name);
    }
    for (const r of await this.mount(toMount)) {
      items.push(r.ok ? { Name: r.name, Result: 'mounted', Mountpoint: r.value!.Mountpoint } : { Name: r.name, Result: 'failed', Error: r.error! });
    }
    items.sort((a, b) => a.Name.localeCompare(b.Name));
    this.keepRestoreFailures(items.filter((i) => i.Result === 'failed'));
    return items;
  }

  /**
   * What failed at the last restore waits in the state directory until a window shows it:
   * a restore runs at login, where nobody may be looking. A failed write only loses this
   * reminder, never the restore.
   */
  private keepRestoreFailures(failed: RestoreItem[]): void {
    try {
      if (failed.length) writeFileSync(this.restoreReport, JSON.stringify(failed));
      else rmSync(this.restoreReport, { force: true });
    } catch {
      /* the command line printed them, and a notification may have shown them */
    }
  }

  /** The failures of the last restore, once: a window shows them at its start. */
  takeRestoreFailures(): RestoreItem[] {
    let failed: unknown;
    try {
      failed = JSON.parse(readFileSync(this.restoreReport, 'utf8'));
      rmSync(this.restoreReport, { force: true });
    } catch {
      return [];
    }
    // The file is the user's to edit: only well-formed items of volumes that exist pass.
    const volumes = this.store.snapshot().volumes;
    return Array.isArray(failed) ? failed.filter((i): i is RestoreItem => typeof i?.Name === 'string' && Object.hasOwn(volumes, i.Name) && i.Result === 'failed' && typeof i.Error?.title === 'string') : [];
  }

  private get restoreReport(): string {
    return `${this.layout.dir}/last-restore.json`;
  }

  /**
   * Keeps the autostart entry present exactly while a volume has the login policy. Called
   * after the policy was saved, so it never fails the call: an entry that cannot be written
   * now (a read-only home) is written at the next change of any policy.
   */
  private syncAutostart(): void {
    if (!this.autostart) return;
    const wanted = Object.values(this.store.snapshot().volumes).some((r) => r.mountAt === 'login');
    try {
      syncAutostart(this.autostart, storeIdOf(this.layout.dir), wanted);
    } catch {
      /* see above */
    }
  }

  /** Inspect in the order asked; an unknown name fails the whole call, as podman does. */
  async inspect(names: string[]): Promise<VolumeInspect[]> {
    names.forEach((n) => assertVolumeName(n));
    await this.afterReboot();
    const state = this.store.snapshot();
    const table = this.table();
    const recs = names.map((n) => {
      const rec = state.volumes[n];
      if (!rec) throw volumeNotFound(n);
      return rec;
    });
    const views = await this.describe(recs, table, true);
    return views.map(inInspectOrder);
  }

  async list(filters: ListFilters = {}): Promise<VolumeInspect[]> {
    await this.afterReboot();
    const state = this.store.snapshot();
    const table = this.table();
    const recs: VolumeRecord[] = [];
    const views: VolumeInspect[] = [];
    for (const name of sortedNames(state)) {
      const rec = state.volumes[name]!;
      const view = this.view(rec, table);
      if (!matches(view, filters)) continue;
      recs.push(rec);
      views.push(view);
    }
    await this.saveReconciled(views);
    await this.describeViews(recs, views, false);
    return views;
  }

  /**
   * What list shows of `names` alone (names that are gone are skipped): the views a window's
   * refresh needs when only these records changed.
   */
  async listOf(names: string[]): Promise<VolumeInspect[]> {
    await this.afterReboot();
    const state = this.store.snapshot();
    const recs = names.map((n) => state.volumes[n]).filter((r): r is VolumeRecord => r !== undefined);
    return this.describe(recs, this.table(), false);
  }

  /** Views of `recs`, reconciled and described by their drivers. */
  private async describe(recs: VolumeRecord[], table: MountTable, details: boolean): Promise<VolumeInspect[]> {
    const views = recs.map((r) => this.view(r, table));
    await this.saveReconciled(views);
    await this.describeViews(recs, views, details);
    return views;
  }

  private async describeViews(recs: VolumeRecord[], views: VolumeInspect[], details: boolean): Promise<void> {
    const indexed = recs.map((rec, i) => ({ rec, view: views[i]! }));
    for (const [driver, group] of byDriver(indexed, (x) => this.driverOf(x.rec))) await driver.describe(group.map((x) => x.view), details);
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
            if (!rec) return;
            const { mounted, proven } = this.driverOf(rec).mountState(rec, this.table());
            const counted = proven ? countedAs(rec.mountCount, mounted) : rec.mountCount;
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
    await this.afterReboot();
    const state = this.store.snapshot();
    const table = this.table();
    return this.saveReconciled(Object.values(state.volumes).map((r) => this.view(r, table)));
  }

  /**
   * Mounts each volume: increments the counter, and mounts for real only when the volume
   * is not mounted yet. The counter it increments is the one the mount table proves (see
   * countedAs), so an unrecorded mount is adopted, not mounted twice. Each driver gets all
   * its first mounts of the batch in one call: one password prompt at most.
   */
  async mount(names: string[]): Promise<BatchItem<MountOutcome>[]> {
    names.forEach((n) => assertVolumeName(n));
    const unique = [...new Set(names)];
    await this.afterReboot();
    return this.withVolumeLocks(unique, () => this.mountLocked(unique));
  }

  /** mount's body; the caller holds the locks of `unique`. */
  private async mountLocked(unique: string[]): Promise<BatchItem<MountOutcome>[]> {
    const state = this.store.read();
    const table = this.table();
    const items = new Map<string, BatchItem<MountOutcome>>();
    /** The count each volume has before this call, for those this call counts. */
    const before = new Map<string, number>();
    const first: VolumeRecord[] = [];
    for (const name of unique) {
      const rec = state.volumes[name];
      if (!rec) items.set(name, { name, ok: false, error: volumeNotFound(name).toJSON() });
      else {
        const view = this.view(rec, table);
        if (view.NeedsMount && !view.Mounted) first.push(rec);
        else before.set(name, view.MountCount);
      }
    }
    faultPoint('mount:before-system');
    const mountpoints = new Map<string, string>();
    const mountedBy = new Map<VolumeDriver, VolumeRecord[]>();
    for (const [driver, recs] of byDriver(first, (r) => this.driverOf(r))) {
      for (const [name, r] of await driver.mount(recs)) {
        if (!r.ok) {
          items.set(name, { name, ok: false, error: r.error.toJSON() });
          continue;
        }
        mountpoints.set(name, r.value);
        before.set(name, 0);
        mountedBy.set(driver, [...(mountedBy.get(driver) ?? []), recs.find((x) => x.name === name)!]);
      }
    }
    faultPoint('mount:after-system');
    try {
      // Nothing to count (every volume failed): the state is left as it is, not rewritten.
      if (before.size) await this.store.update((data) => this.countMounts(data, before, mountpoints, items));
    } catch (err) {
      const undone = new Set<string>();
      for (const [driver, recs] of mountedBy) for (const name of await driver.undoMounts(recs)) undone.add(name);
      const e = toGuided(err);
      for (const name of before.keys()) {
        const left = !mountpoints.has(name) ? 'unchanged' : undone.has(name) ? 'undone' : 'left-mounted';
        items.set(name, { name, ok: false, error: mountNotRecorded(e, name, left) });
      }
    }
    return unique.map((n) => items.get(n) ?? { name: n, ok: false, error: volumeNotFound(n).toJSON() });
  }

  /**
   * Records the mounts of one call, inside the store's update: each count of `before` plus
   * one, and where a first mount happened, the mountpoint its driver reported, kept until the
   * last unmount.
   */
  private countMounts(data: StateData, before: Map<string, number>, mountpoints: Map<string, string>, items: Map<string, BatchItem<MountOutcome>>): void {
    for (const [name, count] of before) {
      const rec = data.volumes[name];
      if (!rec) continue;
      rec.mountCount = count + 1;
      const mp = mountpoints.get(name);
      if (mp !== undefined) rec.mountpoint = mp;
      items.set(name, { name, ok: true, value: { Mountpoint: this.driverOf(rec).mountpoint(rec), MountCount: rec.mountCount } });
    }
  }

  /**
   * Unmounts each volume: decrements the counter (to 0 with force); at 0 unmounts for real.
   * Unmounting at 0 is a no-op. A driver's refusal keeps the count (a busy local volume names
   * the processes that hold it); force detaches it lazily. As in mount, the counter is the one
   * the mount table proves, so an unrecorded mount unmounts.
   */
  async unmount(names: string[], force = false): Promise<BatchItem<UnmountOutcome>[]> {
    names.forEach((n) => assertVolumeName(n));
    const unique = [...new Set(names)];
    await this.afterReboot();
    return this.withVolumeLocks(unique, () => this.unmountLocked(unique, force));
  }

  /** unmount's body; the caller holds the locks of `unique`. */
  private async unmountLocked(unique: string[], force: boolean): Promise<BatchItem<UnmountOutcome>[]> {
    const state = this.store.read();
    const table = this.table();
    const items = new Map<string, BatchItem<UnmountOutcome>>();
    const target = new Map<string, number>();
    const last: VolumeRecord[] = [];
    const proven = new Set<string>();
    for (const name of unique) {
      const rec = state.volumes[name];
      if (!rec) {
        items.set(name, { name, ok: false, error: volumeNotFound(name).toJSON() });
        continue;
      }
      const view = this.view(rec, table);
      const next = force ? 0 : Math.max(0, view.MountCount - 1);
      target.set(name, next);
      if (this.driverOf(rec).mountState(rec, table).proven) proven.add(name);
      if (next === 0 && view.NeedsMount && view.Mounted) last.push(rec);
    }
    faultPoint('unmount:before-system');
    const unmounted = new Set<string>();
    for (const [driver, recs] of byDriver(last, (r) => this.driverOf(r))) {
      for (const [name, r] of await driver.unmount(recs, force)) {
        if (r.ok) unmounted.add(name);
        else {
          target.delete(name);
          items.set(name, { name, ok: false, error: r.error.toJSON() });
        }
      }
    }
    faultPoint('unmount:after-system');
    try {
      if (target.size) await this.store.update((data) => this.countUnmounts(data, target, items));
    } catch (err) {
      const e = toGuided(err);
      for (const name of target.keys()) {
        const left = !unmounted.has(name) ? 'unchanged' : proven.has(name) ? 'unmounted' : 'plugin-unmounted';
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
   * Removes volumes. A mounted one is refused unless forced, when it is unmounted first; a
   * driver deletes a volume's data only after that.
   */
  async remove(names: string[], force = false): Promise<BatchItem<RemoveOutcome>[]> {
    names.forEach((n) => assertVolumeName(n));
    await this.afterReboot();
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
   * Removes one volume; the caller holds nothing. With force, an unmount or a removal that a
   * driver refuses only earns a warning, except where the mount table proves the volume is
   * still mounted: deleting then would delete through a live mount.
   */
  private async removeOne(name: string, force: boolean): Promise<RemoveOutcome> {
    return this.withVolumeLocks([name], async () => {
      const rec = this.store.read().volumes[name];
      if (!rec) throw volumeNotFound(name);
      const driver = this.driverOf(rec);
      const table = this.table();
      const view = this.view(rec, table);
      const warnings: string[] = [];
      if (view.MountCount > 0 || view.Mounted) {
        if (!force) throw volumeInUse(name, Math.max(view.MountCount, 1));
        const [r] = await this.unmountLocked([name], true);
        if (!r!.ok && driver.mountState(rec, table).proven) throw new GuidedError(r!.error!);
        if (!r!.ok) warnings.push(`${name} was not unmounted: ${r!.error!.happened}`);
      }
      const warning = await driver.remove(rec, force);
      if (warning) warnings.push(warning);
      await this.store.update((data) => {
        delete data.volumes[name];
      });
      if (rec.mountAt) this.syncAutostart();
      return warnings.length ? { warning: warnings.join('; ') } : {};
    });
  }

  /** Removes every volume that is not mounted; one outcome per volume tried, failures too. */
  async prune(): Promise<BatchItem<RemoveOutcome>[]> {
    const unused = (await this.list()).filter((v) => v.MountCount === 0 && !v.Mounted).map((v) => v.Name);
    return this.remove(unused, false);
  }

  /** Every driver, with its own rows (local, then every plugin found, each asked whether it answers). */
  async drivers(): Promise<DriverInfo[]> {
    return (await Promise.all(this.registry.all.map((d) => d.infos()))).flat();
  }

  /**
   * podman's `volume reload` (see reload-plan.ts), over every driver whose volumes live
   * elsewhere. The volumes of a plugin that does not answer are left alone: its silence proves
   * nothing. What is dropped is checked again under the locks, in case it was mounted since.
   */
  async reload(): Promise<ReloadReport> {
    const lists = new Map<string, { Name: string }[]>();
    const errors: ReloadReport['Errors'] = [];
    for (const d of this.registry.all) {
      if (!d.listAll) continue;
      const found = await d.listAll();
      for (const [k, v] of found.lists) lists.set(k, v);
      errors.push(...found.errors);
    }
    const { add, drop, errors: problems, listedBy } = planReload(lists, this.store.read());
    errors.push(...problems);
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
}
