// What this process checks of an archive on its way to an import's tar, in the same pass:
// a compressed stream is stopped at its first bytes (GNU tar would otherwise try to reopen
// its input to decompress it), and an archive that ends without tar's end marker (two zero
// blocks) is made to fail, since GNU tar takes an archive cut at an entry's end as whole.
// It is a check for the person, not a guard of the root side: that one trusts nothing here.

import { Transform } from 'node:stream';

const MAGIC: [string, number[]][] = [
  ['gzip', [0x1f, 0x8b]],
  ['bzip2', [0x42, 0x5a, 0x68]],
  ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['zstd', [0x28, 0xb5, 0x2f, 0xfd]],
  ['lzip', [0x4c, 0x5a, 0x49, 0x50]],
];

/** The compression whose magic `head` starts with, or null. */
export const compressionOf = (head: Buffer) => MAGIC.find(([, m]) => m.every((b, i) => head[i] === b))?.[0] ?? null;

/** A ustar or GNU tar header: "ustar" at offset 257. */
export const looksLikeTar = (head: Buffer) => head.length >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar';

const END = 1024;
/** Not a tar header: what GNU tar meets in place of the end marker, and refuses. */
const NOT_A_HEADER = Buffer.alloc(512, 'x');

export interface ArchiveGuard extends Transform {
  bytes: number;
  /** The compression found at the start, if any: the stream was stopped there. */
  compressed: string | null;
  /** Set at the end when the end marker was missing. */
  truncated: boolean;
}

export function archiveGuard(onBytes: (bytes: number) => boolean | void): ArchiveGuard {
  let tail: Buffer = Buffer.alloc(0);
  const g = new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (g.bytes === 0) {
        const found = compressionOf(chunk);
        if (found) {
          g.compressed = found;
          return done(new Error(`the archive is compressed (${found})`));
        }
      }
      g.bytes += chunk.length;
      tail = chunk.length >= END ? chunk.subarray(chunk.length - END) : Buffer.concat([tail, chunk]).subarray(-END);
      // A hold (fault-points.ts) keeps the chunk: the transfer waits here until cancelled.
      if (onBytes(g.bytes) === false) return;
      done(null, chunk);
    },
    flush(done) {
      g.truncated = tail.length < END || tail.some((b) => b !== 0);
      done(null, g.truncated ? NOT_A_HEADER : undefined);
    },
  }) as ArchiveGuard;
  g.bytes = 0;
  g.compressed = null;
  g.truncated = false;
  return g;
}
