// What the window itself can do about a guided error, offered before the command line's
// steps: a busy or in-use mount can be force-unmounted, an unknown SSH host trusted after its
// key is compared, a failed action tried again, a vanished volume dropped from the list, and a
// volume whose plugin is gone removed (through the question that names it).

import type { ShownError } from '../store/errors.js';

export type WindowAction = 'force-unmount' | 'trust-host' | 'retry' | 'refresh' | 'remove';

const FORCE_UNMOUNT = new Set(['TARGET_BUSY', 'VOLUME_IN_USE', 'UNMOUNT_FAILED']);
/** The same archive is refused the same way again: a Try again would seem to do nothing. */
const SAME_AGAIN = new Set(['ARCHIVE_ENTRY_REFUSED', 'ARCHIVE_UNREADABLE', 'ARCHIVE_TRUNCATED']);

/** The window's own actions for `e`, the most direct first. */
export function windowActions(e: Pick<ShownError, 'error' | 'volume' | 'retry'>): WindowAction[] {
  const actions: WindowAction[] = [];
  const code = e.error.code;
  if (e.volume !== undefined && FORCE_UNMOUNT.has(code)) actions.push('force-unmount');
  if (e.volume !== undefined && code === 'SSH_HOST_UNKNOWN') actions.push('trust-host');
  if (code === 'VOLUME_NOT_FOUND') actions.push('refresh');
  else if (e.retry && !SAME_AGAIN.has(code)) actions.push('retry');
  if (e.volume !== undefined && code === 'PLUGIN_MISSING') actions.push('remove');
  return actions;
}
