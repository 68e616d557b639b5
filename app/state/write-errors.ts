// What a failed write to the state directory means to a person. Called with whatever a write,
// a rename or a lock file creation threw; errors that are not about the filesystem's refusal
// are returned unchanged for the caller to rethrow.

import { permissionDenied, stateDiskFull, stateReadOnly } from '../errors/catalogue.js';

export function stateWriteError(err: unknown, dir: string): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'ENOSPC' || code === 'EDQUOT') return stateDiskFull(dir, message);
  if (code === 'EROFS') return stateReadOnly(dir, message, false);
  // Root meets EPERM only where a file is immutable or append-only (chattr +i, +a).
  if (code === 'EPERM') return stateReadOnly(dir, message, true);
  if (code === 'EACCES') return permissionDenied(message, dir);
  return err;
}
