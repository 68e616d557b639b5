// Handlers that keep notices and ended transfers on screen while the pointer or the focus is
// on the part of the window that shows them; a part that goes away lets them go.

import { useEffect } from 'react';
import { useNotices } from '../store/notices.js';

export function useHoldWhileRead() {
  const hold = useNotices((s) => s.hold);
  useEffect(() => () => hold(false), [hold]);
  return { onMouseEnter: () => hold(true), onMouseLeave: () => hold(false), onFocus: () => hold(true), onBlur: () => hold(false) };
}
