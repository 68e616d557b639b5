// The plugin driver: every volume whose driver is not built in is served by the Docker volume
// plugin of that name. The engine holds the volume's lock and owns the counter; each method
// makes the protocol calls its operation needs, with the volume's timeout, and says what the
// plugin answered. A plugin's path need not be a mount, so only the counter says whether one
// of its volumes is mounted.

import type { DriverInfo, PluginStatus, ReloadReport, VolumeInspect, VolumeKind } from '../../api/types.js';
import { toGuided } from '../../errors/guided-error.js';
import type { PluginVolume } from '../../plugin-client/protocol.js';
import { DEFAULT_TIMEOUT_SEC, type PluginHandle, type PluginRegistry } from '../../plugin-client/registry.js';
import type { VolumeRecord } from '../../state/schema.js';
import type { MountState, Outcome, ParsedOptions, VolumeData, VolumeDriver } from '../driver.js';
import { pluginError } from '../../errors/catalogue.js';
import { pluginMountpointProblem } from './mountpoint-check.js';
import { parsePluginOptions, timeoutFor } from './options.js';

export class PluginDriver implements VolumeDriver {
  constructor(readonly registry: PluginRegistry) {}

  parse(options: Record<string, string>): ParsedOptions {
    return parsePluginOptions(options);
  }

  /** Whatever path the plugin names: never deleted in by root outside a mount of its own. */
  data(): VolumeData {
    return { origin: 'named', lostAtUnmount: false };
  }

  kind(): VolumeKind {
    return 'plugin';
  }

  /** As podman: the path the plugin gave at the first mount, shown only while mounted. */
  mountpoint(rec: VolumeRecord): string {
    return rec.mountCount > 0 ? (rec.mountpoint ?? '') : '';
  }

  mountState(rec: VolumeRecord): MountState {
    return { mounted: rec.mountCount > 0, proven: false };
  }

  /** Runs `fn` against the volume's plugin; a plugin that stopped answering is re-activated next time. */
  private async using<T>(driver: string, name: string, timeoutSec: number | undefined, fn: (h: PluginHandle, timeoutMs: number) => Promise<T>): Promise<T> {
    const h = await this.registry.handle(driver, name);
    try {
      return await fn(h, timeoutFor(timeoutSec, h.defaultTimeoutMs));
    } catch (err) {
      if (toGuided(err).code === 'PLUGIN_NOT_ANSWERING') this.registry.forget(h.client);
      throw err;
    }
  }

  /**
   * Asks the plugin to create the volume, or adopts the plugin's own volume of that name, as
   * podman does: Get first, Create only when the plugin says it has no such volume. An adopted
   * volume was the plugin's before, so the undo of a failed record leaves it alone.
   */
  async create(rec: VolumeRecord): Promise<() => unknown> {
    const how = await this.using(rec.driver, rec.name, rec.timeout, async (h, t) => {
      const existing = await h.client.get(rec.name, t).catch((err) => {
        if (toGuided(err).code === 'PLUGIN_ERROR') return undefined;
        throw err;
      });
      if (existing) return 'adopted';
      await h.client.create(rec.name, rec.options, t);
      return 'created';
    });
    return () => how === 'created' && this.remove(rec, true);
  }

  /**
   * One Mount per volume, each with podman's pseudo ID. A Mountpoint that is not a directory of
   * the volume's own (pluginMountpointProblem) fails the mount, and the plugin's hold is given back.
   */
  async mount(recs: VolumeRecord[]): Promise<Map<string, Outcome<string>>> {
    const out = new Map<string, Outcome<string>>();
    for (const rec of recs) {
      try {
        const mountpoint = await this.using(rec.driver, rec.name, rec.timeout, (h, t) => h.client.mount(rec.name, t));
        const problem = pluginMountpointProblem(mountpoint);
        if (problem) {
          await this.unmount([rec]);
          throw pluginError(rec.driver, 'VolumeDriver.Mount', `answered Mountpoint ${JSON.stringify(mountpoint)}, which is ${problem}: a plugin volume is a directory of its own`, rec.name);
        }
        out.set(rec.name, { ok: true, value: mountpoint });
      } catch (err) {
        out.set(rec.name, { ok: false, error: toGuided(err) });
      }
    }
    return out;
  }

  /** One Unmount per volume; a refusal keeps the volume counted as mounted, as podman does. */
  async unmount(recs: VolumeRecord[]): Promise<Map<string, Outcome<void>>> {
    const out = new Map<string, Outcome<void>>();
    for (const rec of recs) {
      try {
        await this.using(rec.driver, rec.name, rec.timeout, (h, t) => h.client.unmount(rec.name, t));
        out.set(rec.name, { ok: true, value: undefined });
      } catch (err) {
        out.set(rec.name, { ok: false, error: toGuided(err) });
      }
    }
    return out;
  }

  /** No prompt is needed to take a plugin mount back: every one is undone that the plugin lets go. */
  async undoMounts(recs: VolumeRecord[]): Promise<Set<string>> {
    const undone = new Set<string>();
    for (const [name, r] of await this.unmount(recs)) if (r.ok) undone.add(name);
    return undone;
  }

  /**
   * Asks the plugin to remove the volume. A refusal or a missing plugin throws; with force
   * it becomes the returned warning and the caller drops the volume from the state anyway.
   */
  async remove(rec: VolumeRecord, force: boolean): Promise<string | undefined> {
    try {
      await this.using(rec.driver, rec.name, rec.timeout, (h, t) => h.client.remove(rec.name, t));
      return undefined;
    } catch (err) {
      if (!force) throw err;
      const g = toGuided(err);
      return `removed ${rec.name} from the state only; the plugin did not remove it (${g.title}: ${g.happened})`;
    }
  }

  infos(): Promise<DriverInfo[]> {
    return this.registry.describe();
  }

  /** The plugin's state for each driver named, asked once per driver and in parallel. */
  async statuses(drivers: string[]): Promise<Map<string, PluginStatus>> {
    const unique = [...new Set(drivers)];
    const out = new Map<string, PluginStatus>();
    await Promise.all(
      unique.map(async (d) => {
        try {
          const h = await this.registry.handle(d);
          out.set(d, { State: 'ready', Address: h.client.where });
        } catch (err) {
          const g = toGuided(err);
          out.set(d, { State: g.code === 'PLUGIN_MISSING' ? 'missing' : 'not-answering', Error: g.happened });
        }
      }),
    );
    return out;
  }

  /**
   * Marks plugin volumes with their plugin's state. With `details` (inspect) each volume's
   * status and scope are asked too, as podman's inspect does; a failure is shown, not thrown.
   */
  async describe(pluginViews: VolumeInspect[], details: boolean): Promise<void> {
    if (pluginViews.length === 0) return;
    const [states, found] = await Promise.all([this.statuses(pluginViews.map((v) => v.Driver)), this.registry.discover()]);
    for (const v of pluginViews) {
      v.Timeout ??= found.timeoutSec ?? DEFAULT_TIMEOUT_SEC;
      v.Plugin = states.get(v.Driver)!;
      if (!details || v.Plugin.State !== 'ready') continue;
      try {
        // As podman: the Mountpoint is ours (set at the first mount, cleared at the last),
        // never the one the plugin's Get reports for a volume we have not mounted.
        await this.using(v.Driver, v.Name, v.Timeout, async (h, t) => {
          const vol = await h.client.get(v.Name, t);
          if (vol.Status) v.Status = vol.Status;
          v.Scope = await h.client.capabilities(t);
        });
      } catch (err) {
        v.Plugin = { ...v.Plugin, Error: toGuided(err).happened };
      }
    }
  }

  /** What every plugin found lists now, for reload; plugins that do not answer go to `errors`. */
  async listAll(): Promise<{ lists: Map<string, PluginVolume[]>; errors: ReloadReport['Errors'] }> {
    const { entries } = await this.registry.discover();
    const lists = new Map<string, PluginVolume[]>();
    const errors: ReloadReport['Errors'] = [];
    await Promise.all(
      entries.map(async (e) => {
        try {
          const h = await this.registry.handle(e.name);
          lists.set(e.name, await h.client.list(h.defaultTimeoutMs));
        } catch (err) {
          errors.push({ Driver: e.name, Error: toGuided(err).toJSON() });
        }
      }),
    );
    return { lists, errors };
  }
}
