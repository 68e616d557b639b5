// Where elevated mounts go. A user's own state directory is writable by the user and by every
// program the user runs, so root must never mount into it: a symlink swapped in between the
// check and the act would put the mount anywhere. Elevated targets live instead in a tree that
// only root can change, one directory per calling user and state directory:
//
//   /run/volume-manager/UID/STORE/NAME
//
// UID is the caller's (the root script reads it from pkexec, never from the request), STORE
// names one state directory, NAME is the volume. /run is cleared at boot, as the mounts are.

export const ELEVATED_ROOT = '/run/volume-manager';

/**
 * A short, stable name for a state directory (64-bit FNV-1a of its resolved path, in hex).
 * It only keeps two state directories of one user apart; it guards nothing, so it needs no
 * cryptographic hash (and the read-only verbs do not load node:crypto for it).
 */
export function storeIdOf(stateDir: string): string {
  let h = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(stateDir, 'utf8')) h = BigInt.asUintN(64, (h ^ BigInt(byte)) * 0x100000001b3n);
  return h.toString(16).padStart(16, '0');
}

export const elevatedTarget = (uid: number, storeId: string, name: string) => `${ELEVATED_ROOT}/${uid}/${storeId}/${name}`;
