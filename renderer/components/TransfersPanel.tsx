// Exports and imports under way and just ended: bytes, rate and time left, and Cancel.

import { useEffect, useState } from 'react';
import { progressText } from '../../app/api/progress.js';
import { formatBytes } from '../../app/api/bytes.js';
import { useHoldWhileRead } from './use-hold-while-read.js';
import { useTransfers, type Transfer } from '../store/transfers.js';
import { Modal } from './Modal.js';

const verb = { export: ['Exporting', 'Exported', 'Export of'], import: ['Importing', 'Imported', 'Import into'] } as const;

function Row({ t }: { t: Transfer }) {
  const { cancel, dismiss } = useTransfers.getState();
  const [, tick] = useState(0);
  // Rate and time left move on between events too.
  useEffect(() => {
    if (t.State !== 'running') return;
    const timer = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, [t.State]);
  const p = progressText(t.Progress, Date.now() - t.startedAt);
  const [doing, done, of] = verb[t.Op];
  const title = t.State === 'running' ? `${doing} ${t.Name}` : t.State === 'done' ? `${done} ${t.Name}` : t.State === 'cancelled' ? `${of} ${t.Name} cancelled` : `${of} ${t.Name} failed`;
  return (
    <li className={`transfer state-${t.State}`} aria-label={title}>
      <span className="title">{title}</span>
      {t.State === 'running' && <progress aria-label={`${doing} ${t.Name}`} value={p.fraction ?? undefined} max={1} />}
      {t.State === 'failed' ? (
        <span className="facts why" role="alert">
          {t.Error ? `${t.Error.title}: ${t.Error.happened}` : 'the host gave no reason'}
        </span>
      ) : (
        <span className="facts" role="status">
          {t.State === 'running' ? [p.done, p.rate, p.left].filter(Boolean).join(' · ') : t.State === 'done' ? formatBytes(t.Progress.Bytes) : t.State === 'cancelled' ? (t.Op === 'import' ? 'the volume is as it was' : 'no archive was kept') : ''}
        </span>
      )}
      {t.State === 'running' ? (
        <button type="button" onClick={() => void cancel(t.Id)}>
          Cancel
        </button>
      ) : (
        <button type="button" onClick={() => dismiss(t.Id)}>
          Dismiss
        </button>
      )}
    </li>
  );
}

/** Every transfer, or those of one volume (`name`), as in its details. */
export function TransfersPanel({ name }: { name?: string }) {
  const transfers = useTransfers((s) => s.transfers);
  const list = Object.values(transfers).filter((t) => name === undefined || t.Name === name);
  const holding = useHoldWhileRead();
  if (list.length === 0) return null;
  return (
    <section className="transfers" aria-label={name === undefined ? 'Exports and imports' : `Exports and imports of ${name}`} {...holding}>
      <ul>
        {list.map((t) => (
          <Row key={t.Id} t={t} />
        ))}
      </ul>
    </section>
  );
}

/** Asks before an import replaces what a volume holds, naming the volume and what goes. */
export function ConfirmReplace() {
  const pending = useTransfers((s) => s.pendingReplace);
  const answer = useTransfers((s) => s.answerReplace);
  if (!pending) return null;
  return (
    <Modal label={`Replace the contents of ${pending.name}?`} onCancel={() => answer(false)}>
      <h2>Replace the contents of {pending.name}?</h2>
      <p>
        {pending.error.happened}. Importing {pending.file.name} deletes all of it and puts the archive's contents in its place. This cannot be undone.
      </p>
      <div className="actions">
        <button type="button" autoFocus onClick={() => answer(false)}>
          Keep {pending.name} as it is
        </button>
        <button type="button" className="danger" onClick={() => answer(true)}>
          Replace contents of {pending.name}
        </button>
      </div>
    </Modal>
  );
}
