// The hooks tests use to break things at the worst moment, all here and all read from the
// environment of the process under test; without them every hook is a no-op. None exists in a
// release bundle: `node build.mjs --release` (npm start, npm run cli, npm run dist) defines VOLUME_MANAGER_RELEASE,
// every hook folds to a constant, and the one that changes what root runs (the SIGSTOP block
// of root-prelude.sh marked @test-hook) is replaced by a no-op, so its text is not in the
// bundle at all (test/integration/release-bundle).
//
// - VOLUME_MANAGER_TEST_KILL_AT=NAME: this process dies at once (SIGKILL, as kill -9 would) at
//   the named point, to prove that the state and the kernel agree after a crash there.
// - VOLUME_MANAGER_TEST_STOP_ELEVATED=1: the root script stops itself (SIGSTOP) between its
//   check of a target and its mount or umount (for a source the caller brings, between the
//   caller's open and root's mount), so a test can try to swap paths in that window and resume
//   it. SIGCONT may come from any process of the session, the user's too: tests only.
// - VOLUME_MANAGER_TEST_HOLD_TRANSFER_AT=BYTES: an export or import stops passing bytes on
//   once BYTES have gone through (until it is cancelled), so a test can cancel it halfway
//   however fast the machine is.

/** True in the bundles tests and `npm start` run; a constant false in release bundles. */
export const TEST_HOOKS = process.env.VOLUME_MANAGER_RELEASE !== '1';

const killAt = TEST_HOOKS ? process.env.VOLUME_MANAGER_TEST_KILL_AT : undefined;

export type FaultPoint = 'create:after-mkdir' | 'mount:before-system' | 'mount:after-system' | 'unmount:before-system' | 'unmount:after-system';

export function faultPoint(name: FaultPoint): void {
  if (killAt === name) process.kill(process.pid, 'SIGKILL');
}

export const stopElevatedBetweenCheckAndAct = () => TEST_HOOKS && process.env.VOLUME_MANAGER_TEST_STOP_ELEVATED === '1';

const holdAt = TEST_HOOKS ? Number(process.env.VOLUME_MANAGER_TEST_HOLD_TRANSFER_AT) : NaN;

/** Whether a transfer that has passed `bytes` must hold still (see above). */
export const holdTransfer = (bytes: number) => Number.isFinite(holdAt) && holdAt > 0 && bytes >= holdAt;
