// The hooks tests use to break things at the worst moment, all here and all read from the
// environment of the process under test; without them every hook is a no-op.
//
// - VOLUME_MANAGER_TEST_KILL_AT=NAME: this process dies at once (SIGKILL, as kill -9 would) at
//   the named point, to prove that the state and the kernel agree after a crash there.
// - VOLUME_MANAGER_TEST_STOP_ELEVATED=1: the root script stops itself (SIGSTOP) between its
//   check of a target and its mount or umount, so a test can try to swap paths in that window
//   and resume it. Only root can resume it, so the hook gives the user nothing it can use.
// - VOLUME_MANAGER_TEST_HOLD_TRANSFER_AT=BYTES: an export or import stops passing bytes on
//   once BYTES have gone through (until it is cancelled), so a test can cancel it halfway
//   however fast the machine is.

const killAt = process.env.VOLUME_MANAGER_TEST_KILL_AT;

export type FaultPoint = 'create:after-mkdir' | 'mount:before-system' | 'mount:after-system' | 'unmount:before-system' | 'unmount:after-system';

export function faultPoint(name: FaultPoint): void {
  if (killAt === name) process.kill(process.pid, 'SIGKILL');
}

export const stopElevatedBetweenCheckAndAct = () => process.env.VOLUME_MANAGER_TEST_STOP_ELEVATED === '1';

const holdAt = Number(process.env.VOLUME_MANAGER_TEST_HOLD_TRANSFER_AT);

/** Whether a transfer that has passed `bytes` must hold still (see above). */
export const holdTransfer = (bytes: number) => Number.isFinite(holdAt) && holdAt > 0 && bytes >= holdAt;
