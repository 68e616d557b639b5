// The local driver: podman's type/device/o volumes (tmpfs, bind, device images, NFS) and
// plain directories. It mounts with the runner it is given: argv arrays as root, the checked
// root script through polkit otherwise. Its mount table is the kernel's, so whether one of
// its volumes is mounted is proven, not counted.

import { mkdirSync } from 'node:fs';
import type { DriverInfo, VolumeInspect, VolumeKind } from '../../api/types.js';
import { targetBusy } from '../../errors/catalogue.js';
import { toGuided } from '../../errors/guided-error.js';
import { mountpointOf, type StateLayout } from '../../state/layout.js';
import type { VolumeRecord } from '../../state/schema.js';
import { stateWriteError } from '../../state/write-errors.js';
import type { Runner } from '../../system/direct-runner.js';
import { elevatedTarget, storeIdOf } from '../../system/elevated-targets.js';
import { processesUsing } from '../../system/holders.js';
import type { MountTable } from '../../system/mountinfo.js';
import type { MountState, Outcome, ParsedOptions, VolumeData, VolumeDriver } from '../driver.js';
import { makeVolumeDir, renameVolumeDir, removeVolumeDir } from '../volume-dir.js';
import { classifyMountError, classifyUnmountError, isBusy, isNotMounted } from './classify.js';
import { nfsExports, probeNfs } from './nfs-probe.js';
import { parseLocalOptions } from './options.js';
import { mountJob, unmountJob } from './plan.js';
import { addUsage } from './usage.js';

/** A volume with neither type nor device is a plain directory: nothing to mount. */
const isDirectory = (rec: VolumeRecord) => rec.options.type === undefined && rec.options.device === undefined;

export class LocalDriver implements VolumeDriver {
  /** Where a volume mounted through elevation goes: a tree only root can change. */
  private readonly elevatedPrefix: string | undefined;

  constructor(
    private readonly layout: StateLayout,
    private readonly runner: Runner,
  ) {
    this.elevatedPrefix = runner.elevated ? elevatedTarget(process.getuid?.() ?? -1, storeIdOf(layout.dir), '') : undefined;
  }

  parse(options: Record<string, string>): ParsedOptions {
    parseLocalOptions(options);
    return { options: { ...options } };
  }

  readonly capabilities = { exports: { list: nfsExports } };

  /** A plain directory and a tmpfs are made for the volume; everything else is the caller's. */
  data(rec: VolumeRecord): VolumeData {
    const kind = this.kind(rec);
    return { origin: kind === 'directory' || kind === 'tmpfs' ? 'made' : 'brought', lostAtUnmount: kind === 'tmpfs' };
  }

  kind(rec: VolumeRecord): VolumeKind {
    const { type, device, o } = rec.options;
    if (isDirectory(rec)) return 'directory';
    if (type === 'tmpfs' || (type === undefined && device === 'tmpfs')) return 'tmpfs';
    if (type === 'nfs' || type === 'nfs4') return 'nfs';
    if (type === 'bind' || /(^|,)r?bind(,|$)/.test(o ?? '')) return 'bind';
    return device?.startsWith('/') ? 'device' : 'other';
  }

  /**
   * As root, podman's layout in the state directory. Elevated, a volume that mounts gets a
   * target in the root-owned tree (elevated-targets.ts), because the user can change
   * everything in the state directory; a plain directory stays there, root never touches it.
   */
  mountpoint(rec: VolumeRecord): string {
    if (this.elevatedPrefix !== undefined && !isDirectory(rec)) return this.elevatedPrefix + rec.name;
    return mountpointOf(this.layout, rec.name);
  }

  mountState(rec: VolumeRecord, table: MountTable): MountState {
    // A plain directory is never a mount: the counter is all there is.
    if (isDirectory(rec)) return { mounted: rec.mountCount > 0, proven: false };
    return { mounted: table.has(this.mountpoint(rec)), proven: true };
  }

  /**
   * podman's volumes/NAME/_data, made as this user, except for a volume whose elevated target
   * root makes in its own tree at mount. The undo removes only what this call made.
   */
  async create(rec: VolumeRecord): Promise<() => unknown> {
    const dir = this.mountpoint(rec);
    if (!dir.startsWith(`${this.layout.volumesDir}/`)) return () => undefined;
    return makeVolumeDir(this.layout, dir, parseLocalOptions(rec.options).owner);
  }

  async mount(recs: VolumeRecord[]): Promise<Map<string, Outcome<string>>> {
    const out = new Map<string, Outcome<string>>();
    const planned: { rec: VolumeRecord; spec: ReturnType<typeof parseLocalOptions> }[] = [];
    for (const rec of recs) {
      try {
        // The stored options are read again: the state file is the user's to edit.
        const spec = parseLocalOptions(rec.options);
        if (spec.nfs) await probeNfs(spec.nfs);
        // Root makes elevated targets itself, in its own tree; as root, podman's directory.
        if (!this.runner.elevated) mkdirSync(this.mountpoint(rec), { recursive: true, mode: 0o755 });
        planned.push({ rec, spec });
      } catch (err) {
        out.set(rec.name, { ok: false, error: toGuided(stateWriteError(err, this.layout.dir)) });
      }
    }
    const results = await this.runner.run(planned.map((p) => mountJob(p.spec, this.mountpoint(p.rec))));
    planned.forEach(({ rec, spec }, i) => {
      const r = results[i]!;
      out.set(rec.name, r.ok ? { ok: true, value: this.mountpoint(rec) } : { ok: false, error: classifyMountError(rec.name, spec, r.error) });
    });
    return out;
  }

  /** "Not mounted" from umount is not an error; a busy target names the processes holding it. */
  async unmount(recs: VolumeRecord[], force: boolean): Promise<Map<string, Outcome<void>>> {
    const results = await this.runner.run(recs.map((r) => unmountJob(this.mountpoint(r), force)));
    const out = new Map<string, Outcome<void>>();
    recs.forEach((rec, i) => {
      const r = results[i]!;
      if (r.ok || isNotMounted(r.error)) return void out.set(rec.name, { ok: true, value: undefined });
      const mp = this.mountpoint(rec);
      out.set(rec.name, { ok: false, error: isBusy(r.error) ? targetBusy(mp, processesUsing(mp), r.error, rec.name) : classifyUnmountError(rec.name, r.error) });
    });
    return out;
  }

  /** Elevated mounts stay (undoing one would ask for the password again): reconcile adopts them. */
  async undoMounts(recs: VolumeRecord[]): Promise<Set<string>> {
    const undone = new Set<string>();
    if (this.runner.elevated || recs.length === 0) return undone;
    const results = await this.runner.run(recs.map((r) => unmountJob(this.mountpoint(r), false)));
    recs.forEach((r, i) => results[i]!.ok && undone.add(r.name));
    return undone;
  }

  /**
   * Deletes the volume's directory in the state directory, as this user and never through a
   * live mount. An elevated target holds no data (root removes it at the last unmount).
   */
  async rename(rec: VolumeRecord, to: string): Promise<() => unknown> {
    return renameVolumeDir(this.layout, rec.name, to);
  }

  async remove(rec: VolumeRecord): Promise<undefined> {
    removeVolumeDir(this.layout, rec.name, this.mountpoint(rec));
    return undefined;
  }

  /** Space used on mounted volumes; for inspect also podman's UID and GID. */
  async describe(views: VolumeInspect[], details: boolean): Promise<void> {
    addUsage(views);
    if (details) for (const v of views) Object.assign(v, ownerIds(v.Options));
  }

  async infos(): Promise<DriverInfo[]> {
    return [{ Name: 'local', Source: 'builtin', Answers: true, Scope: 'local' }];
  }
}

const ID_OPTION = /(?:^|,)(uid|gid)=(\d+)(?:,|$)/g;

/** UID and GID as podman's inspect shows them: from uid=/gid= options or inside o=. */
function ownerIds(options: Record<string, string>): { UID?: number; GID?: number } {
  const ids: { UID?: number; GID?: number } = {};
  for (const m of (options.o ?? '').matchAll(ID_OPTION)) ids[m[1] === 'uid' ? 'UID' : 'GID'] = Number(m[2]);
  if (options.uid !== undefined && /^\d+$/.test(options.uid)) ids.UID = Number(options.uid);
  if (options.gid !== undefined && /^\d+$/.test(options.gid)) ids.GID = Number(options.gid);
  return ids;
}
