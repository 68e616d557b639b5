// The only things the engine ever does with privilege: mount one source on one target, and
// unmount one target. A step is a plan, not an argv: each runner renders it its own way
// (argv arrays as root, checked calls into the root script when elevated), so no runner
// has to parse a command line back to know what it is being asked to do.

import { invalidOption } from '../errors/catalogue.js';

/**
 * The kernel file systems a device or image may hold. None runs a helper program at mount,
 * and mount runs none for them (-i), so root runs nothing the user chose: `fuse.PROG` would
 * have mount.fuse3 run PROG as root. Where the type is not given, mount detects it among these.
 */
export const DISK_TYPES = ['ext2', 'ext3', 'ext4', 'xfs', 'btrfs', 'vfat', 'exfat', 'ntfs3', 'iso9660', 'udf', 'squashfs'] as const;

/**
 * Where what root mounts comes from. A tmpfs (`label`) or an NFS export (`net`) names nothing
 * on this machine. A directory (`dir`, bound), an image file (`image`, through a loop device)
 * or a block device (`block`) is the caller's: the root script opens it with the caller's
 * rights first, and mounts the very object that open gave.
 */
export type MountVia = 'label' | 'net' | 'dir' | 'image' | 'block';

const TYPES_OF: Record<MountVia, readonly string[]> = { label: ['tmpfs'], net: ['nfs', 'nfs4'], dir: [], image: DISK_TYPES, block: DISK_TYPES };

export interface MountStep {
  op: 'mount';
  via: MountVia;
  /** `-t` argument; absent for a bind, and where mount detects it among DISK_TYPES. */
  type?: string;
  /** `-o` list, in order. */
  options: string[];
  source: string;
  target: string;
}

export interface UnmountStep {
  op: 'umount';
  target: string;
  /** Detach now and clean up when no longer busy (`umount -l`), podman's force. */
  lazy: boolean;
}

export type Step = MountStep | UnmountStep;

/** A sequence of steps for one volume; it stops at its first failing step. */
export type Job = Step[];

export interface StepResult {
  step: Step;
  ok: boolean;
  /** stdout and stderr of the step, interleaved, trimmed. */
  output: string;
}

export interface JobResult {
  ok: boolean;
  steps: StepResult[];
  /** The output of the failing step, or '' when all succeeded. */
  error: string;
}

/**
 * No quote, $, backtick, backslash, white space or shell operator can pass, and nothing that
 * starts with "-", so no value is ever read as an option of mount or umount.
 */
export const SAFE_TOKEN = /^[A-Za-z0-9_./:@+,=%][A-Za-z0-9_./:@+,=%-]*$/;

function assertToken(value: string, what: string, op: string): void {
  if (!SAFE_TOKEN.test(value)) {
    throw invalidOption(
      `refusing to pass ${JSON.stringify(value)} as the ${what} of ${op}: it must not start with "-" and may hold only [A-Za-z0-9_./:@+,=%-]`,
      'Paths with spaces or quotes cannot be mounted safely; choose sources without them.',
    );
  }
}

/** Checks every value of a step before any runner renders it. */
export function assertSafeStep(step: Step): void {
  if (step.op === 'mount') {
    if (!Object.hasOwn(TYPES_OF, step.via)) throw invalidOption(`refusing to mount from ${JSON.stringify(step.via)}`);
    if (step.type !== undefined && !TYPES_OF[step.via].includes(step.type)) throw invalidOption(`refusing to mount type ${JSON.stringify(step.type)} from a ${step.via}`);
    if (step.type === undefined && (step.via === 'label' || step.via === 'net')) throw invalidOption(`refusing a mount from a ${step.via} without a type`);
    if (step.options.length) assertToken(step.options.join(','), 'options', 'mount');
    assertToken(step.source, 'source', 'mount');
    assertToken(step.target, 'target', 'mount');
  } else if (step.op === 'umount') {
    assertToken(step.target, 'target', 'umount');
  } else {
    throw invalidOption(`refusing to run ${JSON.stringify((step as { op: unknown }).op)}: only mount and umount are run`);
  }
}

/** What mount is told to try: the type, or for a device whose type is not given, DISK_TYPES. */
export const typesOf = (step: MountStep) => step.type ?? (step.via === 'image' || step.via === 'block' ? DISK_TYPES.join(',') : undefined);

/**
 * The argv a root process runs for `step`: `--` ends the options before every path, and -i
 * keeps mount and umount from running a /sbin/mount.TYPE helper (NFS's mount.nfs aside).
 */
export function argvOf(step: Step): { bin: 'mount' | 'umount'; args: string[] } {
  if (step.op === 'umount') return { bin: 'umount', args: ['-i', ...(step.lazy ? ['-l'] : []), '--', step.target] };
  const types = typesOf(step);
  const options = [...(step.via === 'image' ? ['loop'] : []), ...step.options];
  const args = [...(step.via === 'net' ? [] : ['-i']), ...(types ? ['-t', types] : []), ...(options.length ? ['-o', options.join(',')] : []), '--', step.source, step.target];
  return { bin: 'mount', args };
}
