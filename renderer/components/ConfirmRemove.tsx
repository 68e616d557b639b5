// The question before volumes are removed: each one named, with what goes with it, and the
// safe answer first. Escape answers it the safe way.

import { formatBytes } from '../../app/api/bytes.js';
import type { VolumeContents } from '../../app/api/types.js';
import { focusIfFallen, listControl } from '../lib/focus.js';
import { usedByOf } from '../lib/volume-facts.js';
import { useRemoval } from '../store/removal.js';
import { Modal } from './Modal.js';

/** A mounted volume is unmounted first, and the question says so, with who works in it. */
function mountedFirst(c: VolumeContents): string {
  if (!c.MountCount) return '';
  const who = [usedByOf(c.UsedBy), c.Holders?.length ? `used by ${c.Holders.join(', ')}` : ''].filter(Boolean).join(', ');
  const whoText = who ? `, ${who}` : '';
  return `it is mounted (${c.MountCount === 1 ? 'once' : `${c.MountCount} times`}${whoText}) and is unmounted first; then `;
}

function whatGoes(c: VolumeContents): string {
  if (c.Loses === 'plugin') return 'its plugin decides what happens to its data';
  if (c.Loses === 'record') return 'its plugin is not running: only its record here goes, and what the plugin holds stays with the plugin';
  if (c.Loses === 'nothing') return c.Source ? `its data stays at ${c.Source}` : 'it holds no files';
  if (c.Entries === undefined) return 'its files are deleted (too many to count in time)';
  if (c.Entries === 0) return 'it is empty';
  return c.Entries === 1 ? `1 file or folder (${formatBytes(c.Bytes ?? 0)}) is deleted` : `${c.Entries} files and folders (${formatBytes(c.Bytes ?? 0)}) are deleted`;
}

export function ConfirmRemove() {
  const asking = useRemoval((s) => s.asking);
  const { confirm, cancel } = useRemoval.getState();
  if (!asking) return null;
  const { names, contents, prune } = asking;
  const one = names.length === 1 ? names[0]! : null;
  const title = names.length === 0 ? 'No volume is unused' : prune ? `Remove the ${names.length} volumes that are not mounted?` : one ? `Remove ${one}?` : `Remove ${names.length} volumes?`;
  const unmounts = (contents ?? []).some((c) => c.MountCount);
  return (
    <Modal label={title} onCancel={cancel}>
      <h2>{title}</h2>
      {names.length > 0 && (
        <ul className="losses" aria-label="What is removed">
          {names.map((name) => {
            const c = contents?.find((x) => x.Name === name);
            return (
              <li key={name}>
                <strong className="name">{name}</strong>: {c ? mountedFirst(c) + whatGoes(c) : 'counting its files…'}
              </li>
            );
          })}
        </ul>
      )}
      <div className="actions">
        <button type="button" autoFocus onClick={cancel}>
          {names.length === 0 ? 'Close' : one ? `Keep ${one}` : 'Keep them'}
        </button>
        {names.length > 0 && (
          <button type="button" className="danger" disabled={contents === null} onClick={() => void confirm().then(() => focusIfFallen(listControl))}>
            {unmounts ? (one ? `Unmount and remove ${one}` : `Unmount and remove ${names.length} volumes`) : one ? `Remove ${one}` : `Remove ${names.length} volumes`}
          </button>
        )}
      </div>
    </Modal>
  );
}
