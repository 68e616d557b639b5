// Reads what archive-script.ts printed back into an outcome or a guided error. The script's
// markers come first; GNU tar's own messages, passed on verbatim, decide the rest.

import { archiveEntriesRefused, archiveTruncated, archiveUnreadable,
  compressedArchive, importNotApplied, sourceUnreadable, volumeFull, volumeNotEmpty, type RefusedEntry } from './archive-errors.js';
import { targetRefused } from '../errors/catalogue.js';
import { GuidedError, toGuided } from '../errors/guided-error.js';
import { MARK } from './archive-script.js';
import { ROOT_REFUSAL } from '../system/root-script.js';

export interface ArchiveContext {
  op: 'export' | 'import';
  name: string;
  mountpoint: string;
  /** The archive as the person named it, for the commands in the steps. */
  file: string;
}

export type ArchiveOutput = { ok: true; entries: number } | { ok: false; error: GuidedError };

const rest = (line: string, marker: string) => line.slice(marker.length + 1);

export function readArchiveOutput(ctx: ArchiveContext, output: string): ArchiveOutput {
  const refused: RefusedEntry[] = [];
  const seen = new Set<string>();
  const tar: string[] = [];
  let done: number | null = null;
  let notEmpty: [number, number] | null = null;
  let replaceFailed = false;
  const other: string[] = [];
  for (const line of output.split('\n')) {
    if (line === MARK.started) continue;
    if (line.startsWith(MARK.refused + ' ')) {
      const [reason, entry = ''] = rest(line, MARK.refused).split('\t');
      const key = `${reason}\t${entry}`;
      if (!seen.has(key)) refused.push({ reason: reason!, entry });
      seen.add(key);
    } else if (line.startsWith(MARK.tar + ' ')) tar.push(rest(line, MARK.tar));
    else if (line.startsWith(MARK.notEmpty + ' ')) {
      const [n, bytes] = rest(line, MARK.notEmpty).split(' ').map(Number);
      notEmpty = [n ?? 0, bytes ?? 0];
    } else if (line === MARK.replaceFailed) replaceFailed = true;
    else if (line === MARK.done || line.startsWith(MARK.done + ' ')) done = Number(line.split(' ')[1] ?? 0) || 0;
    else if (line.trim()) other.push(line.trim());
  }
  const { name, mountpoint, file } = ctx;
  const said = [...tar, ...other].join('\n');
  const fail = (error: GuidedError): ArchiveOutput => ({ ok: false, error });
  const refusal = other.find((l) => l.startsWith(ROOT_REFUSAL));
  if (refusal) return fail(targetRefused(name, refusal.slice(ROOT_REFUSAL.length)));
  if (refused.length) return fail(archiveEntriesRefused(name, refused, file));
  if (notEmpty) return fail(volumeNotEmpty(name, notEmpty[0], notEmpty[1]));
  const full = tar.find((l) => /No space left on device|Wrote only \d+ of \d+ bytes/.test(l));
  if (full) return fail(volumeFull(name, mountpoint, undefined, 0, full));
  if (tar.some((l) => /Unexpected EOF|A lone zero block/.test(l))) return fail(archiveTruncated(name, tar.find((l) => /EOF|zero block/.test(l)) ?? 'the archive has no end marker'));
  if (tar.some((l) => /Archive is compressed/i.test(l))) return fail(compressedArchive(name, 'compressed', file));
  if (tar.some((l) => /does not look like a tar archive|Skipping to next header|checksum error/i.test(l))) return fail(archiveUnreadable(name, said, file));
  if (replaceFailed) return fail(importNotApplied(name, said || 'an entry could not be moved'));
  if (ctx.op === 'export' && tar.some((l) => /Permission denied/.test(l))) return fail(sourceUnreadable(name, said));
  if (done !== null) return { ok: true, entries: done };
  return fail(toGuided(new Error(said || `the ${ctx.op} script ended without a result`)));
}
