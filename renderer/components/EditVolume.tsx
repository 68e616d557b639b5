// Changing a volume without removing it, in its details: its labels at any time, and a local
// volume's mount options while nothing holds it (the engine checks them as create does, and
// says at once what it refuses, here in the dialog). What cannot change says why instead.

import { useState } from 'react';
import type { VolumeInspect } from '../../app/api/types.js';
import type { GuidedErrorData } from '../../app/errors/guided-error.js';
import { asGuided, call } from '../bridge/api.js';
import { linesOf, pairsOf } from '../lib/create-request.js';
import { useNotices } from '../store/notices.js';
import { useVolumes } from '../store/volumes.js';
import { InlineError } from './InlineError.js';

/** Why a volume's options cannot be edited here, or null when they can. */
function optionsFixed(v: VolumeInspect): string | null {
  if (v.Driver !== 'local') return `Its options are its plugin's (${v.Driver}); the plugin protocol cannot change them.`;
  if (v.Kind === 'directory') return 'A plain directory has no mount options: its owner was set when it was made.';
  return null;
}

export function EditVolume({ v, onSaved }: { v: VolumeInspect; onSaved: () => Promise<unknown> }) {
  const fixed = optionsFixed(v);
  const [options, setOptions] = useState(linesOf(v.Options));
  const [labels, setLabels] = useState(linesOf(v.Labels));
  const [error, setError] = useState<GuidedErrorData | null>(null);
  const [saving, setSaving] = useState(false);
  const held = v.Mounted || v.MountCount > 0;
  const save = async () => {
    if (saving) return;
    setSaving(true);
    setError(null);
    const newOptions = pairsOf(options);
    const changedOptions = !fixed && linesOf(newOptions) !== linesOf(v.Options);
    try {
      await call('volume.set', { name: v.Name, labels: pairsOf(labels), ...(changedOptions ? { options: newOptions } : {}) });
      useNotices.getState().say(`Saved the ${changedOptions ? 'options and labels' : 'labels'} of ${v.Name}.`);
      await Promise.all([onSaved(), useVolumes.getState().refresh()]);
    } catch (err) {
      setError(asGuided(err));
    } finally {
      setSaving(false);
    }
  };
  return (
    <form
      className="edit-volume"
      aria-label={`Change ${v.Name}`}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label>
        Mount options
        <textarea aria-label="Mount options" value={options} disabled={fixed !== null} aria-describedby={`edit-${v.Name}-options`} onChange={(e) => setOptions(e.target.value)} />
      </label>
      <p id={`edit-${v.Name}-options`} className="hint">
        {fixed ?? (held ? 'Unmount it to change its options; its labels change now.' : 'One key=value per line, as --opt takes them; used from its next mount.')}
      </p>
      <label>
        Labels
        <textarea aria-label="Labels" value={labels} placeholder="one key=value per line" onChange={(e) => setLabels(e.target.value)} />
      </label>
      {error && <InlineError error={error} />}
      <div className="actions">
        {/* Pending, not disabled: a disabled button drops the focus onto the page, out of the dialog. */}
        <button type="submit" aria-disabled={saving}>
          {saving ? 'Saving…' : 'Save changes'}
        </button>
      </div>
    </form>
  );
}
