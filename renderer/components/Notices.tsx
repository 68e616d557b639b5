// The notices on screen: one live region, present from the start so each new line is read
// out. The pointer or the focus on it keeps its lines from leaving (store/notices.ts).

import { useNotices } from '../store/notices.js';
import { useHoldWhileRead } from './use-hold-while-read.js';

export function Notices() {
  const live = useNotices((s) => s.live);
  const holding = useHoldWhileRead();
  return (
    <div className="notices" role="status" aria-label="Messages" {...holding}>
      {live.map((n) => (
        <p key={n.id}>{n.text}</p>
      ))}
    </div>
  );
}
