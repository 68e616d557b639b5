// The question before a forced unmount of a volume someone works in: who, and what happens to
// them; keeping it mounted is the first answer, and Escape's.

import { useForceUnmount } from '../store/force-unmount.js';
import { Modal } from './Modal.js';

export function ConfirmForceUnmount() {
  const asking = useForceUnmount((s) => s.asking);
  if (!asking) return null;
  const { confirm, cancel } = useForceUnmount.getState();
  const { name, inside } = asking;
  return (
    <Modal label={`Force unmount ${name}?`} onCancel={cancel}>
      <h2 className="wrap">Force unmount {name}?</h2>
      <p>It is in use:</p>
      <ul className="losses" aria-label={`What works inside ${name}`}>
        {inside.map((w) => (
          <li key={w}>{w}</li>
        ))}
      </ul>
      <p>A forced unmount detaches it now, under them: files they have open stay open, but they no longer see the volume, and what they write next may be lost. Close them first if you can.</p>
      <div className="actions">
        <button type="button" autoFocus onClick={cancel}>
          Keep {name} mounted
        </button>
        <button type="button" className="danger" onClick={() => void confirm()}>
          Force unmount {name}
        </button>
      </div>
    </Modal>
  );
}
