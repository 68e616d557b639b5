// SSH volumes through FUSE: sshfs mounts and fusermount3 unmounts, as the user who runs the
// engine, root or not. Nothing is ever elevated: the mountpoint is the user's own
// volumes/NAME/_data, and FUSE marks the mount nosuid,nodev with the user's id. Whether one is
// mounted is the mount table's word (fuse.sshfs), as for every local volume.

import { mkdirSync } from 'node:fs';
import type { DriverInfo, VolumeInspect, VolumeKind } from '../../api/types.js';
import { sshfsMissing, sshHostUnknown, targetBusy } from '../../errors/catalogue.js';
import { toGuided } from '../../errors/guided-error.js';
import { mountpointOf, type StateLayout } from '../../state/layout.js';
import type { VolumeRecord } from '../../state/schema.js';
import { execArgv } from '../../system/exec-argv.js';
import { processesUsing } from '../../system/holders.js';
import type { MountTable } from '../../system/mountinfo.js';
import type { MountState, Outcome, ParsedOptions, VolumeDriver, VolumeData } from '../driver.js';
import { makeVolumeDir, renameVolumeDir, removeVolumeDir } from '../volume-dir.js';
import { addUsage } from '../local/usage.js';
import { classifySshMount, classifySshUnmount, isFuseBusy, isFuseNotMounted, isUnknownHost, saysNothing } from './classify.js';
import { knownHostsName, parseSshOptions } from './options.js';
import { hostKeys } from './host-keys.js';
import { diagnose, knownHostsFile, scanHostKeys, sshfsArgs } from './ssh.js';

export class SshfsDriver implements VolumeDriver {
  constructor(private readonly layout: StateLayout) {}

  parse(options: Record<string, string>): ParsedOptions {
    parseSshOptions(options);
    return { options: { ...options } };
  }

  readonly capabilities = { hostKeys };

  /** The server's files, read and written with the user's own rights. */
  data(): VolumeData {
    return { origin: 'brought', lostAtUnmount: false };
  }

  kind(): VolumeKind {
    return 'sshfs';
  }

  mountpoint(rec: VolumeRecord): string {
    return mountpointOf(this.layout, rec.name);
  }

  mountState(rec: VolumeRecord, table: MountTable): MountState {
    return { mounted: table.has(this.mountpoint(rec)), proven: true };
  }

  async create(rec: VolumeRecord): Promise<() => unknown> {
    return makeVolumeDir(this.layout, this.mountpoint(rec));
  }

  /** All at once: one dead server costs its own timeout, not the others'. */
  async mount(recs: VolumeRecord[]): Promise<Map<string, Outcome<string>>> {
    const outcomes = await Promise.all(recs.map(async (rec) => [rec.name, await this.mountOne(rec)] as const));
    return new Map(outcomes);
  }

  private async mountOne(rec: VolumeRecord): Promise<Outcome<string>> {
    try {
      // The stored options are read again: the state file is the user's to edit.
      const spec = parseSshOptions(rec.options);
      const mp = this.mountpoint(rec);
      mkdirSync(mp, { recursive: true, mode: 0o755 });
      // A session of its own: the mount the counter records outlives the window, the host and the terminal.
      const r = await execArgv('sshfs', sshfsArgs(spec, mp), { timeoutMs: (spec.connectTimeout * 3 + 5) * 1000, ownSession: true });
      if (r.spawnError?.code === 'ENOENT') return { ok: false, error: sshfsMissing(r.output) };
      if (r.code === 0 && !r.timedOut) return { ok: true, value: mp };
      const output = saysNothing(r.output) ? `${r.output}\n${await diagnose(spec)}`.trim() : r.output;
      if (isUnknownHost(output)) {
        const keys = await scanHostKeys(spec);
        return { ok: false, error: sshHostUnknown(rec.name, knownHostsName(spec), keys.map((k) => k.fingerprint), output) };
      }
      return { ok: false, error: classifySshMount(rec.name, spec, output, knownHostsFile()) };
    } catch (err) {
      return { ok: false, error: toGuided(err) };
    }
  }

  async unmount(recs: VolumeRecord[], force: boolean): Promise<Map<string, Outcome<void>>> {
    const out = new Map<string, Outcome<void>>();
    for (const rec of recs) {
      const mp = this.mountpoint(rec);
      const r = await execArgv('fusermount3', [force ? '-uz' : '-u', mp], { timeoutMs: 30_000 });
      if (r.code === 0 || isFuseNotMounted(r.output)) out.set(rec.name, { ok: true, value: undefined });
      else out.set(rec.name, { ok: false, error: isFuseBusy(r.output) ? targetBusy(mp, processesUsing(mp), r.output, rec.name) : classifySshUnmount(rec.name, r.output) });
    }
    return out;
  }

  async undoMounts(recs: VolumeRecord[]): Promise<Set<string>> {
    const undone = new Set<string>();
    for (const [name, r] of await this.unmount(recs, false)) if (r.ok) undone.add(name);
    return undone;
  }

  /** Deletes the empty mountpoint directory, never through a live mount. */
  async rename(rec: VolumeRecord, to: string): Promise<() => unknown> {
    return renameVolumeDir(this.layout, rec.name, to);
  }

  async remove(rec: VolumeRecord): Promise<undefined> {
    removeVolumeDir(this.layout, rec.name);
    return undefined;
  }

  async describe(views: VolumeInspect[]): Promise<void> {
    addUsage(views);
  }

  /** SSH volumes are the local driver's kind to the person: no row of their own. */
  async infos(): Promise<DriverInfo[]> {
    return [];
  }
}
