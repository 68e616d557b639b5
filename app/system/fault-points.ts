// Named points where a test can make this process die at once (SIGKILL, as kill -9 would), to
// prove that the state and the kernel agree after a crash at the worst moment. Set
// VOLUME_MANAGER_TEST_KILL_AT=NAME in the environment of the process to be killed; nothing
// else reads it, and without it every point is a no-op.

const killAt = process.env.VOLUME_MANAGER_TEST_KILL_AT;

export type FaultPoint = 'create:after-mkdir' | 'mount:before-system' | 'mount:after-system' | 'unmount:before-system' | 'unmount:after-system';

export function faultPoint(name: FaultPoint): void {
  if (killAt === name) process.kill(process.pid, 'SIGKILL');
}
