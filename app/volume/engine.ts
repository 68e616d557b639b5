// The volume engine: podman's volume semantics over one shared store. Every operation that
// changes a volume holds that volume's lock for its whole duration and re-reads the record
// from the store under it, because the app, the command line and other windows share the
// store. Only the first mount and the last unmount touch the system, through the volume's
// driver (drivers/driver.ts); the engine keeps the counter, the locks and the state, and
// never asks which driver it talks to. Its collaborators live in a private core (core.ts),
// given only to its parts: the counter at work (mount-batch.ts), reconcile, login restore.

import { existsSync, rmSync, writeFileSync } from 'node:fs';
import type { CreateRequest, RemoveOutcome } from '../api/contract.js';
import { assertDriverName, assertHolder, assertVolumeName } from '../api/names.js';
import type { BatchItem, DriverInfo, ListFilters, MountOutcome, MountPolicy, ReloadReport, RestoreItem, UnmountOutcome, VolumeInspect } from '../api/types.js';
import type { DriverCapabilities, VolumeData } from '../drivers/driver.js';
import { invalidOption, invalidRequest, volumeExists, volumeInUse, volumeNotFound } from '../errors/catalogue.js';
import { GuidedError, toGuided } from '../errors/guided-error.js';
import { tryAcquire, type Release } from '../state/locks.js';
import type { StateData, VolumeRecord } from '../state/schema.js';
import { assertAutostartable } from '../system/autostart.js';
import { containersUsing } from '../system/containers.js';
import { faultPoint } from '../system/fault-points.js';
import { SELF_PLUGIN } from '../plugin-client/protocol.js';
import type { MountTable } from '../system/mountinfo.js';
import { byDriver, VolumeCore, type EngineOptions } from './core.js';
import { searchedPlaces } from '../plugin-client/locations.js';
import { createdAtNow } from './created-at.js';
import { madeBefore, untilTime } from './until.js';
import { holdersText } from './holders-text.js';
import { validateLabels } from './labels.js';
import { changedOptions } from './set-options.js';
import { mountBatch, unmountBatch } from './mount-batch.js';
import { reconcileAll, saveReconciled } from './reconcile.js';
import { planReload } from './reload-plan.js';
import { keepAutostart, restoreLogin, takeRestoreFailures } from './restore.js';
import { inInspectOrder, matches } from './view.js';

export type { EngineOptions } from './core.js';

// A snapshot is shared and never mutated (see StateStore.snapshot), so its names are sorted
// once for as long as it is the current one, not on every list.
const sortedByState = new WeakMap<Readonly<StateData>, string[]>();
function sortedNames(state: Readonly<StateData>): string[] {
  let names = sortedByState.get(state);
  if (!names) sortedByState.set(state, (names = Object.keys(state.volumes).sort()));
  return names;
}

export class VolumeEngine {
  /** The engine's collaborators, reached by its parts (mount-batch, reconcile, restore) only. */
  private readonly core: VolumeCore;

  constructor(opts: EngineOptions) {
    this.core = new VolumeCore(opts);
  }

  /** The state directory, resolved. */
  get stateDir(): string {
    return this.core.layout.dir;
  }

  /** The store file, which other processes (the command line, another window) write too. */
  get stateFile(): string {
    return this.core.layout.stateFile;
  }

  /** The records as the store file holds them now (read again, as another process may have written it). */
  records(): Readonly<Record<string, Readonly<VolumeRecord>>> {
    return this.core.store.read().volumes;
  }

  /**
   * The records as last read, shared and never to be changed: cheap, for a refresh that
   * compares. With `since` (the version of records read earlier by this process), the names
   * that changed from those to these, where the store knows them without comparing.
   */
  recordsAsRead(since?: string): { version: string; records: Readonly<Record<string, Readonly<VolumeRecord>>>; changed?: ReadonlySet<string> } {
    const { version, data } = this.core.store.versionedSnapshot();
    const changed = since === undefined ? undefined : this.core.store.changedBetween(since, version);
    return { version, records: data.volumes, ...(changed ? { changed } : {}) };
  }

  /** Which write of the store file is on disk now (it changes with every write, by anyone). */
  storeVersion(): string {
    return this.core.store.fileVersion();
  }

  /** Releases what outlives a call (kept-alive plugin connections); for long-lived hosts. */
  close(): void {
    this.core.plugins.close();
  }

  /** The mountpoint of the volume `name` as it is stored now; '' for an unknown name. */
  mountpoint(name: string): string {
    const rec = this.core.store.snapshot().volumes[name];
    return rec ? this.core.driverOf(rec).mountpoint(rec) : '';
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
    if (driver === SELF_PLUGIN) throw invalidOption(`--driver ${SELF_PLUGIN} names this app's own plugin server, which serves the volumes made here to containers`, 'Leave --driver out: a volume made here is served to podman and Docker as it is.');
    const parsed = this.core.registry.of(driver, req.options ?? {}).parse(req.options ?? {});
    if (req.mountAt === 'login' && this.core.autostart) assertAutostartable(this.core.autostart.exec);
    if (this.core.store.snapshot().volumes[req.name]) throw volumeExists(req.name);
    return { name: req.name, driver, ...parsed, labels: { ...(req.labels ?? {}) }, createdAt: createdAtNow(), mountCount: 0, ...(req.mountAt === 'login' ? { mountAt: 'login' as const } : {}) };
  }

  /**
   * Creates a volume. Bad names and options throw before anything is written, and a create
   * that fails later takes back what it made (the directory, the plugin's volume).
   */
  async create(req: CreateRequest): Promise<VolumeInspect> {
    const rec = this.validate(req);
    return this.core.withVolumeLocks([rec.name], async () => {
      if (this.core.store.snapshot().volumes[rec.name]) throw volumeExists(rec.name);
      const undo = await this.core.driverOf(rec).create(rec);
      faultPoint('create:after-mkdir');
      await this.core.updateOrUndo((data) => {
        if (data.volumes[rec.name]) throw volumeExists(rec.name);
        data.volumes[rec.name] = rec;
      }, undo);
      if (rec.mountAt) keepAutostart(this.core);
      return this.core.view(rec);
    });
  }

  /**
   * Changes what can change after create: the mount policy (and with it whether the autostart
   * entry exists), the labels, and a local volume's options (set-options.ts says which). Each
   * given part replaces the old one whole; all is checked before anything is written.
   */
  async set(name: string, changes: { mountAt?: MountPolicy; options?: Record<string, string>; labels?: Record<string, string> }): Promise<VolumeInspect> {
    assertVolumeName(name);
    const { mountAt, options, labels } = changes;
    if (mountAt === undefined && options === undefined && labels === undefined) throw invalidRequest(`volume set ${name}: nothing to change: give --opt, --label or --mount-at`);
    if (labels) validateLabels(labels);
    if (mountAt === 'login' && this.core.autostart) assertAutostartable(this.core.autostart.exec);
    const rec = await this.core.withVolumeLocks([name], () => {
      // Checked against the volume as the mount table has it, under its lock: a mount made
      // meanwhile by another process is seen.
      const now = this.core.store.snapshot().volumes[name];
      if (!now) throw volumeNotFound(name);
      const changed = options && changedOptions(this.core, now, options);
      return this.core.store.update((data) => {
        const r = data.volumes[name];
        if (!r) throw volumeNotFound(name);
        if (changed) r.options = changed;
        if (labels) r.labels = { ...labels };
        if (mountAt === 'login') r.mountAt = 'login';
        else if (mountAt === 'manual') delete r.mountAt;
        return r;
      });
    });
    keepAutostart(this.core);
    const [view] = await this.inspect([rec.name]);
    return view!;
  }

  /**
   * podman 6.1's volume rename: the record and the volume's own directory take the new name.
   * Only a volume nothing holds (not mounted, count 0) whose driver can rename its data; a
   * rename whose record cannot be saved is taken back.
   */
  async rename(name: string, to: string): Promise<VolumeInspect> {
    assertVolumeName(name);
    assertVolumeName(to);
    await this.core.afterReboot();
    const rec = await this.core.withVolumeLocks([name, to], async () => {
      const state = this.core.store.snapshot();
      const rec = state.volumes[name];
      if (!rec) throw volumeNotFound(name);
      if (state.volumes[to]) throw volumeExists(to);
      const view = this.core.view(rec);
      if (view.MountCount > 0 || view.Mounted) throw volumeInUse(name, Math.max(view.MountCount, 1), rec.holders ? holdersText(rec.holders) : undefined);
      const driver = this.core.driverOf(rec);
      if (!driver.rename) throw invalidRequest(`${name} is a ${driver.kind(rec)} volume: its plugin keeps it under its name, and the plugin protocol has no rename`);
      const undo = await driver.rename(rec, to);
      return this.core.updateOrUndo((data) => {
        const now = data.volumes[name];
        if (!now) throw volumeNotFound(name);
        if (data.volumes[to]) throw volumeExists(to);
        delete data.volumes[name];
        data.volumes[to] = { ...now, name: to };
        return data.volumes[to];
      }, undo);
    });
    if (rec.mountAt) keepAutostart(this.core);
    const [view] = await this.inspect([to]);
    return view!;
  }

  /**
   * Takes the lock `key` (a capability's own, such as one volume's transfers) without waiting:
   * its release, or null while another process holds it. A holder that died holds nothing.
   */
  tryHold(key: string): Promise<Release | null> {
    return tryAcquire(this.core.layout.locksDir, key);
  }

  /** A file that belongs to whoever holds the lock `key` (see tryHold), named `what` beside it. */
  holdFile(key: string, what: string): string {
    return `${this.core.layout.locksDir}/${key}.${what}`;
  }

  /**
   * Runs `fn` with the volume `name` usable at its mountpoint. Must be called while holding
   * the lock `key` (tryHold), so that one caller at a time does this for `name`. A volume that
   * needs mounting is mounted through the counter for the duration and its count given back
   * after, also on a throw; the volume's own lock is not held meanwhile, so others mount and
   * unmount as usual. A holder killed while it held a count leaves a marker beside its lock,
   * and the next holder of `key` gives that count back first. `check` sees the volume before
   * anything is mounted, and may refuse it by throwing.
   */
  async withMounted<T>(name: string, key: string, fn: (mountpoint: string, view: VolumeInspect) => Promise<T>, check: (view: VolumeInspect) => void = () => undefined): Promise<T> {
    assertVolumeName(name);
    const held = this.holdFile(key, 'held');
    if (existsSync(held)) {
      await this.unmount([name]);
      rmSync(held, { force: true });
    }
    // A volume that is a plain directory is always there: nothing to mount, nothing to count.
    const [view] = await this.inspect([name]);
    check(view!);
    if (!view!.NeedsMount) return fn(view!.Mountpoint, view!);
    const [mounted] = await this.mount([name]);
    if (!mounted!.ok) throw new GuidedError(mounted!.error!);
    try {
      writeFileSync(held, '');
    } catch {
      /* a full disk costs only the repair after a crash */
    }
    try {
      return await fn(mounted!.value!.Mountpoint, view!);
    } finally {
      const [r] = await this.unmount([name]).catch(() => [undefined]);
      if (r?.ok) rmSync(held, { force: true });
    }
  }

  /** Runs a root script (root-prelude.sh and what follows it) with root's rights: one prompt at most. */
  runAsRoot(script: string, started: string): Promise<string> {
    return this.core.runner.runScript(script, started);
  }

  /** Whose data the volume `name` holds (drivers/driver.ts's VolumeData); VOLUME_NOT_FOUND if none. */
  dataOf(name: string): VolumeData {
    const rec = this.core.store.snapshot().volumes[name];
    if (!rec) throw volumeNotFound(name);
    return this.core.driverOf(rec).data(rec);
  }

  /**
   * The capability `what` of the driver that offers it, found without naming a driver; with
   * `volume`, that volume's driver must be the one, and its options come too. INVALID_REQUEST
   * where no driver (or not the volume's) offers it.
   */
  async capability<K extends keyof DriverCapabilities>(what: K, volume?: string): Promise<{ use: DriverCapabilities[K]; options: Record<string, string> }> {
    const driver = this.core.registry.all.find((d) => d.capabilities?.[what]);
    if (!driver) throw invalidRequest(`no driver here offers ${what}`);
    if (volume === undefined) return { use: driver.capabilities![what]!, options: {} };
    assertVolumeName(volume);
    const rec = this.core.store.snapshot().volumes[volume];
    if (!rec) throw volumeNotFound(volume);
    const own = this.core.driverOf(rec);
    if (own !== driver) throw invalidRequest(`${volume} is a ${own.kind(rec)} volume, which does not offer ${what}`);
    return { use: driver.capabilities![what]!, options: { ...rec.options } };
  }

  /** Mounts every login volume that is not mounted, in one mount call (restore.ts). */
  restore(): Promise<RestoreItem[]> {
    return restoreLogin(this.core, (names) => this.mount(names));
  }

  /** The failures of the last restore, once: a window shows them at its start. */
  takeRestoreFailures(): RestoreItem[] {
    return takeRestoreFailures(this.core);
  }

  /** Reconciles every volume with the mount table; run at start and when the table changes. */
  reconcile(): Promise<string[]> {
    return reconcileAll(this.core);
  }

  /** Inspect in the order asked; an unknown name fails the whole call, as podman does. */
  async inspect(names: string[]): Promise<VolumeInspect[]> {
    names.forEach((n) => assertVolumeName(n));
    await this.core.afterReboot();
    const state = this.core.store.snapshot();
    const table = this.core.table();
    const recs = names.map((n) => {
      const rec = state.volumes[n];
      if (!rec) throw volumeNotFound(n);
      return rec;
    });
    const views = await this.describe(recs, table, true);
    // Containers hold some: their engines are asked who they are (only then: it costs a process each).
    await Promise.all(
      views.filter((v) => v.UsedBy).map(async (v) => {
        const found = await containersUsing(v.Name);
        if (found.length) v.Containers = found;
      }),
    );
    return views.map(inInspectOrder);
  }

  async list(filters: ListFilters = {}): Promise<VolumeInspect[]> {
    await this.core.afterReboot();
    const state = this.core.store.snapshot();
    const table = this.core.table();
    const recs: VolumeRecord[] = [];
    const views: VolumeInspect[] = [];
    for (const name of sortedNames(state)) {
      const rec = state.volumes[name]!;
      const view = this.core.view(rec, table);
      if (!matches(view, filters)) continue;
      recs.push(rec);
      views.push(view);
    }
    await saveReconciled(this.core, views);
    await this.describeViews(recs, views, false);
    return views;
  }

  /**
   * What list shows of `names` alone (names that are gone are skipped): the views a window's
   * refresh needs when only these records changed.
   */
  async listOf(names: string[]): Promise<VolumeInspect[]> {
    await this.core.afterReboot();
    const state = this.core.store.snapshot();
    const recs = names.map((n) => state.volumes[n]).filter((r): r is VolumeRecord => r !== undefined);
    return this.describe(recs, this.core.table(), false);
  }

  /** Views of `recs`, reconciled and described by their drivers. */
  private async describe(recs: VolumeRecord[], table: MountTable, details: boolean): Promise<VolumeInspect[]> {
    const views = recs.map((r) => this.core.view(r, table));
    await saveReconciled(this.core, views);
    await this.describeViews(recs, views, details);
    return views;
  }

  private async describeViews(recs: VolumeRecord[], views: VolumeInspect[], details: boolean): Promise<void> {
    const indexed = recs.map((rec, i) => ({ rec, view: views[i]! }));
    for (const [driver, group] of byDriver(indexed, (x) => this.core.driverOf(x.rec))) await driver.describe(group.map((x) => x.view), details);
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
    await this.core.afterReboot();
    return this.core.withVolumeLocks(unique, () => mountBatch(this.core, unique));
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
    await this.core.afterReboot();
    return this.core.withVolumeLocks(unique, () => unmountBatch(this.core, unique, force));
  }

  /**
   * A container's mount through the plugin server: mount's counting, the count recorded as
   * held by `holder` (checked), so that only that holder gives it back (release).
   */
  async hold(name: string, holder: string): Promise<MountOutcome> {
    assertVolumeName(name);
    assertHolder(holder);
    await this.core.afterReboot();
    const [r] = await this.core.withVolumeLocks([name], () => mountBatch(this.core, [name], holder));
    if (!r!.ok) throw new GuidedError(r!.error!);
    return r!.value!;
  }

  /** Gives back one mount `holder` holds (see hold); HOLDER_UNKNOWN, and nothing lowered, where it holds none. */
  async release(name: string, holder: string): Promise<UnmountOutcome> {
    assertVolumeName(name);
    assertHolder(holder);
    await this.core.afterReboot();
    const [r] = await this.core.withVolumeLocks([name], () => unmountBatch(this.core, [name], false, holder));
    if (!r!.ok) throw new GuidedError(r!.error!);
    return r!.value!;
  }

  /**
   * Removes volumes. A mounted one is refused unless forced, when it is unmounted first; a
   * driver deletes a volume's data only after that.
   */
  async remove(names: string[], force = false): Promise<BatchItem<RemoveOutcome>[]> {
    names.forEach((n) => assertVolumeName(n));
    await this.core.afterReboot();
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
    return this.core.withVolumeLocks([name], async () => {
      const rec = this.core.store.snapshot().volumes[name];
      if (!rec) throw volumeNotFound(name);
      const driver = this.core.driverOf(rec);
      const table = this.core.table();
      const view = this.core.view(rec, table);
      const warnings: string[] = [];
      if (view.MountCount > 0 || view.Mounted) {
        if (!force) throw volumeInUse(name, Math.max(view.MountCount, 1), rec.holders ? holdersText(rec.holders) : undefined);
        const [r] = await unmountBatch(this.core, [name], true);
        if (!r!.ok && driver.mountState(rec, table).proven) throw new GuidedError(r!.error!);
        if (!r!.ok) warnings.push(`${name} was not unmounted: ${r!.error!.happened}`);
      }
      const warning = await driver.remove(rec, force);
      if (warning) warnings.push(warning);
      await this.core.store.update((data) => {
        delete data.volumes[name];
      });
      if (rec.mountAt) keepAutostart(this.core);
      return warnings.length ? { warning: warnings.join('; ') } : {};
    });
  }

  /**
   * Removes every volume that is not mounted (and, with filters, has every label asked and was
   * made before `until`); one outcome per volume tried, failures too.
   */
  async prune(filters: { label?: string[]; until?: string } = {}): Promise<BatchItem<RemoveOutcome>[]> {
    const until = filters.until === undefined ? undefined : untilTime(filters.until);
    const unused = (await this.list({ ...(filters.label ? { label: filters.label } : {}) })).filter((v) => v.MountCount === 0 && !v.Mounted && (until === undefined || madeBefore(v.CreatedAt, until))).map((v) => v.Name);
    return this.remove(unused, false);
  }

  /** The folders and files whose change means a plugin appeared or went. */
  pluginWatchPaths(): string[] {
    const l = this.core.plugins.locations;
    return [...l.socketDirs, ...l.specDirs, ...l.containersConfs];
  }

  /** Where plugins are looked for, as PLUGIN_MISSING lists them. */
  pluginPlaces(): string[] {
    return searchedPlaces(this.core.plugins.locations);
  }

  /** Every driver, with its own rows (local, then every plugin found, each asked whether it answers). */
  async drivers(): Promise<DriverInfo[]> {
    return (await Promise.all(this.core.registry.all.map((d) => d.infos()))).flat();
  }

  /**
   * podman's `volume reload` (see reload-plan.ts), over every driver whose volumes live
   * elsewhere. The volumes of a plugin that does not answer are left alone: its silence proves
   * nothing. What is dropped is checked again under the locks, in case it was mounted since.
   */
  async reload(): Promise<ReloadReport> {
    const lists = new Map<string, { Name: string }[]>();
    const errors: ReloadReport['Errors'] = [];
    for (const d of this.core.registry.all) {
      if (!d.listAll) continue;
      const found = await d.listAll();
      for (const [k, v] of found.lists) lists.set(k, v);
      errors.push(...found.errors);
    }
    const { add, drop, errors: problems, listedBy } = planReload(lists, this.core.store.snapshot());
    errors.push(...problems);
    const report: ReloadReport = { Added: [], Removed: [], Errors: errors };
    if (add.length === 0 && drop.length === 0) return report;
    await this.core.withVolumeLocks([...add.map((r) => r.name), ...drop], () =>
      this.core.store.update((data) => {
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
