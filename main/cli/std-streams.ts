// Standard output and error for a verb, and whether a standard stream is a terminal, without
// building process.stdout, process.stderr or node:tty until they are needed: on a pipe each of
// them loads node:net and node:stream, a large share of a verb's start beside `node -e 0`.

import { writeSync } from 'node:fs';

/**
 * A writer to a descriptor (1 or 2) by write(2). Once a write cannot go through at once (a full
 * non-blocking pipe: EAGAIN) or fails, it and every later write go to the stream `fallback`
 * gives, so the order of what is written holds and the stream's own handling applies.
 * Must not be mixed with direct writes to the same stream before that point: callers that
 * stream an archive to standard output use the stream only.
 */
export function fdWriter(fd: number, fallback: () => NodeJS.WritableStream): (text: string) => void {
  let stream: NodeJS.WritableStream | undefined;
  return (text) => {
    if (stream) {
      stream.write(text);
      return;
    }
    let rest = Buffer.from(text);
    try {
      while (rest.length > 0) rest = rest.subarray(writeSync(fd, rest));
    } catch {
      stream = fallback();
      stream.write(rest);
    }
  };
}

/** isatty(fd), with node:tty loaded on the first question. */
export const isTerminal = (fd: number): boolean => process.getBuiltinModule('node:tty').isatty(fd);
