// Joins the script of one export or import: root-prelude.sh, a header of constants, and
// archive.sh, whose comment states what it guarantees, then the one call. The shell lives in
// its .sh files (shellcheck passes them); this module only quotes.

import { SAFE_TOKEN } from '../system/commands.js';
import { assignments, prelude, quote } from '../system/root-script.js';
import archiveText from './archive.sh?raw';

/**
 * The names an import stages in and moves old entries aside to, each with the import's own id
 * (16 hex digits the transfer chose and recorded beside its lock). Only those exact names are
 * the import's: a folder of the person's that starts the same is exported, counted, and kept.
 */
export const STAGING_PREFIX = '.volume-manager-import.';
export const ASIDE_PREFIX = '.volume-manager-aside.';

export type ArchiveMode = 'self' | 'elevated';

/** `io`: the FIFO to this process, or (an export with this user's rights) the archive file itself. */
/** `stale`: the id of an import that was killed before its end ('' when none is recorded). */
export type ArchiveJob =
  | { op: 'export'; mountpoint: string; io: string; stale: string }
  | { op: 'import'; mountpoint: string; io: string; replace: boolean; id: string; stale: string };

/** Markers the script prints, one per line, for archive-output.ts. */
export const MARK = {
  started: '@@vm-archive',
  refused: '@@vm-refused',
  notEmpty: '@@vm-not-empty',
  tar: '@@vm-tar',
  done: '@@vm-done',
  replaceFailed: '@@vm-replace-failed',
} as const;

const STAGE_ID = /^([0-9a-f]{16})?$/;

/** The whole script for one job; run by `bash -s`-free means: it needs no standard input. */
export function archiveScript(job: ArchiveJob, mode: ArchiveMode): string {
  for (const v of [job.mountpoint, job.io]) {
    if (!SAFE_TOKEN.test(v) || !v.startsWith('/')) throw new Error(`refusing archive path ${JSON.stringify(v)}`);
  }
  for (const id of [job.stale, job.op === 'import' ? job.id : '']) if (!STAGE_ID.test(id)) throw new Error(`refusing stage id ${JSON.stringify(id)}`);
  const call =
    job.op === 'export'
      ? `vm_export ${quote(job.mountpoint)} ${quote(job.io)} ${quote(job.stale)}`
      : `vm_import ${quote(job.mountpoint)} ${quote(job.io)} ${job.replace ? 1 : 0} ${quote(job.id)} ${quote(job.stale)}`;
  // tar's listing and messages go to a directory of the actor's own, gone with the script.
  const run = `vm_work=$(mktemp -d) || exit 1\ntrap 'rm -rf -- "$vm_work"' EXIT\n${call}`;
  const constants = assignments({
    VM_MARK_REFUSED: MARK.refused,
    VM_MARK_NOT_EMPTY: MARK.notEmpty,
    VM_MARK_TAR: MARK.tar,
    VM_MARK_DONE: MARK.done,
    VM_MARK_REPLACE_FAILED: MARK.replaceFailed,
    VM_STAGING_PREFIX: STAGING_PREFIX,
    VM_ASIDE_PREFIX: ASIDE_PREFIX,
  });
  return `${prelude(false)}\n${constants}\necho ${MARK.started}\nset -- ${mode}\n${archiveText}\n${run}\n`;
}
