// Mount at login: `volume restore` mounts the volumes with the login policy, what failed waits
// for the window's next start, and the XDG autostart entry that runs the restore exists exactly
// while a volume has the policy.

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { BatchItem, MountOutcome, RestoreItem } from '../api/types.js';
import { syncAutostart } from '../system/autostart.js';
import { storeIdOf } from '../system/elevated-targets.js';
import type { VolumeCore } from './core.js';

/**
 * Mounts every `login` volume that is not mounted, all in one mount call: the elevated ones
 * share one password prompt, SSH volumes mount in parallel (one dead server costs only its
 * own timeout), and a volume that is already mounted is left as it is, so running it twice
 * changes nothing.
 */
export async function restoreLogin(core: VolumeCore, mount: (names: string[]) => Promise<BatchItem<MountOutcome>[]>): Promise<RestoreItem[]> {
  await core.afterReboot();
  const table = core.table();
  const wanted = Object.values(core.store.snapshot().volumes).filter((r) => r.mountAt === 'login');
  const items: RestoreItem[] = [];
  const toMount: string[] = [];
  for (const rec of wanted.sort((a, b) => a.name.localeCompare(b.name))) {
    const view = core.view(rec, table);
    if (view.Mounted || view.MountCount > 0) items.push({ Name: rec.name, Result: 'already mounted', Mountpoint: view.Mountpoint });
    else toMount.push(rec.name);
  }
  for (const r of await mount(toMount)) {
    items.push(r.ok ? { Name: r.name, Result: 'mounted', Mountpoint: r.value!.Mountpoint } : { Name: r.name, Result: 'failed', Error: r.error! });
  }
  items.sort((a, b) => a.Name.localeCompare(b.Name));
  keepRestoreFailures(core, items.filter((i) => i.Result === 'failed'));
  return items;
}

/**
 * What failed at the last restore waits in the state directory until a window shows it:
 * a restore runs at login, where nobody may be looking. A failed write only loses this
 * reminder, never the restore.
 */
function keepRestoreFailures(core: VolumeCore, failed: RestoreItem[]): void {
  try {
    if (failed.length) writeFileSync(restoreReport(core), JSON.stringify(failed));
    else rmSync(restoreReport(core), { force: true });
  } catch {
    /* the command line printed them, and a notification may have shown them */
  }
}

/** The failures of the last restore, once: a window shows them at its start. */
export function takeRestoreFailures(core: VolumeCore): RestoreItem[] {
  let failed: unknown;
  try {
    failed = JSON.parse(readFileSync(restoreReport(core), 'utf8'));
    rmSync(restoreReport(core), { force: true });
  } catch {
    return [];
  }
  // The file is the user's to edit: only well-formed items of volumes that exist pass.
  const volumes = core.store.snapshot().volumes;
  return Array.isArray(failed) ? failed.filter((i): i is RestoreItem => typeof i?.Name === 'string' && Object.hasOwn(volumes, i.Name) && i.Result === 'failed' && typeof i.Error?.title === 'string') : [];
}

const restoreReport = (core: VolumeCore) => `${core.layout.dir}/last-restore.json`;

/**
 * Keeps the autostart entry present exactly while a volume has the login policy. Called
 * after the policy was saved, so it never fails the call: an entry that cannot be written
 * now (a read-only home) is written at the next change of any policy.
 */
export function keepAutostart(core: VolumeCore): void {
  if (!core.autostart) return;
  const wanted = Object.values(core.store.snapshot().volumes).some((r) => r.mountAt === 'login');
  try {
    syncAutostart(core.autostart, storeIdOf(core.layout.dir), wanted);
  } catch {
    /* see above */
  }
}
