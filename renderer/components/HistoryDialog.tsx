// Everything the window said since it opened, newest first: the notices that left by
// themselves and the errors, with the time each was said.

import { useNotices } from '../store/notices.js';
import { useView } from '../store/view.js';
import { Modal } from './Modal.js';

const time = (at: number) => new Date(at).toLocaleTimeString();

export function HistoryButton() {
  const count = useNotices((s) => s.history.length);
  return (
    <button type="button" className="history-button" onClick={() => useView.getState().open('history')}>
      History{count ? ` (${count})` : ''}
    </button>
  );
}

export function HistoryDialog() {
  const history = useNotices((s) => s.history);
  const close = () => useView.getState().open('none');
  return (
    <Modal label="History" role="dialog" onCancel={close}>
      <h2>History</h2>
      {history.length === 0 ? (
        <p>Nothing has been said yet.</p>
      ) : (
        <ol className="history" reversed aria-label="What the window said, newest first">
          {history.map((n) => (
            <li key={n.id} className={`tone-${n.tone}`}>
              <time dateTime={new Date(n.at).toISOString()}>{time(n.at)}</time> {n.tone === 'problem' ? <strong>Problem: </strong> : null}
              <span className="wrap">{n.text}</span>
            </li>
          ))}
        </ol>
      )}
      <div className="actions">
        <button type="button" disabled={history.length === 0} onClick={() => useNotices.getState().clearHistory()}>
          Clear history
        </button>
        <button type="button" autoFocus onClick={close}>
          Close
        </button>
      </div>
    </Modal>
  );
}
