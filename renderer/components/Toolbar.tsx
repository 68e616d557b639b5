// Actions on the selection and the whole list; a batch mounts or unmounts in one call, so
// one password prompt covers all the selected volumes, and touches only what needs it
// (lib/batch-plan.ts).

import { useDrivers } from '../store/drivers.js';
import { useView } from '../store/view.js';
import { useRemoval } from '../store/removal.js';
import { useVolumes } from '../store/volumes.js';

export function Toolbar() {
  const selected = useVolumes((s) => s.selected);
  const anyUnused = useVolumes((s) => s.volumes.some((v) => !v.Mounted && v.MountCount === 0));
  const { mountSelected, unmountSelected, refresh } = useVolumes.getState();
  const { ask } = useRemoval.getState();
  const names = [...selected];
  const none = names.length === 0;
  return (
    <div className="toolbar" role="toolbar" aria-label="Volume actions">
      <button type="button" className="primary" onClick={() => useView.getState().open('create')}>
        Create volume
      </button>
      <button type="button" disabled={none} onClick={() => void mountSelected()}>
        Mount selected
      </button>
      <button type="button" disabled={none} onClick={() => void unmountSelected()}>
        Unmount selected
      </button>
      <button type="button" disabled={none} onClick={() => ask(names)}>
        Remove selected
      </button>
      <button
        type="button"
        disabled={!anyUnused}
        onClick={() =>
          ask(
            useVolumes
              .getState()
              .volumes.filter((v) => !v.Mounted && v.MountCount === 0)
              .map((v) => v.Name),
            true,
          )
        }
      >
        Prune unused
      </button>
      <button type="button" onClick={() => void Promise.all([refresh(true), useDrivers.getState().refresh()])}>
        Refresh
      </button>
      <button type="button" onClick={() => useView.getState().open('containers')}>
        Use in containers…
      </button>
    </div>
  );
}
