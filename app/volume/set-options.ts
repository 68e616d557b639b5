// What `volume set --opt` may change: a local volume's mount options, checked exactly as create
// checks them, applied at its next mount. Must be called while the volume is locked, with its
// record as stored: nothing may hold it (a mount would keep the old options while the record
// says the new), and it keeps its kind, since a tmpfs turned NFS would hide or strand its data.
// A plain directory's options were its folder's owner when it was made, and a plugin's options
// are the plugin's, which the protocol cannot change.

import type { VolumeRecord } from '../state/schema.js';
import { invalidOption, volumeInUse } from '../errors/catalogue.js';
import { holdersText } from './holders-text.js';
import type { VolumeCore } from './core.js';

export function changedOptions(core: VolumeCore, rec: VolumeRecord, options: Record<string, string>): Record<string, string> {
  const driver = core.driverOf(rec);
  const kind = driver.kind(rec);
  if (rec.driver !== 'local') throw invalidOption(`the options of ${rec.name} are its plugin's (${rec.driver}): the plugin protocol has no call that changes them`, 'Create another volume with the options you want.');
  if (kind === 'directory') throw invalidOption(`${rec.name} is a plain directory: its options set its folder's owner when it was made`, 'Change the owner with chown, or create another volume.');
  const view = core.view(rec);
  if (view.MountCount > 0 || view.Mounted) throw volumeInUse(rec.name, Math.max(view.MountCount, 1), rec.holders ? holdersText(rec.holders) : undefined);
  const parsed = core.registry.of(rec.driver, options).parse(options).options;
  const next = { ...rec, options: parsed };
  const nextKind = core.driverOf(next).kind(next);
  if (nextKind !== kind) throw invalidOption(`${rec.name} is a ${kind} volume, and options of a ${nextKind} volume were given: a ${kind} volume stays a ${kind} volume`, 'Create another volume of the other type, and export and import its data if it should move.');
  return parsed;
}
