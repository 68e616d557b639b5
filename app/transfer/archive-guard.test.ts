import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { archiveGuard } from './archive-guard.js';

async function through(chunks: Buffer[]) {
  const g = archiveGuard(() => undefined);
  const out: Buffer[] = [];
  const error = await pipeline(Readable.from(chunks), g, new Writable({ write: (c, _e, d) => (out.push(c), d()) })).then(() => null, (e: Error) => e);
  return { g, out: Buffer.concat(out), error };
}

describe('archiveGuard', () => {
  it('passes a whole archive as it is', async () => {
    const archive = Buffer.concat([Buffer.alloc(512, 1), Buffer.alloc(10240 - 512)]);
    const { g, out, error } = await through([archive.subarray(0, 700), archive.subarray(700)]);
    expect(error).toBeNull();
    expect(g.truncated).toBe(false);
    expect(out.equals(archive)).toBe(true);
  });

  it('makes an archive without its end marker fail in tar, with a block that is no header', async () => {
    const { g, out } = await through([Buffer.alloc(512, 1), Buffer.alloc(512, 2)]);
    expect(g.truncated).toBe(true);
    expect(out.length).toBe(1536);
    expect(out.subarray(1024).every((b) => b === 0x78)).toBe(true);
  });

  it('stops a compressed stream at its first bytes', async () => {
    const { g, out, error } = await through([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.alloc(100)]);
    expect(g.compressed).toBe('gzip');
    expect(error?.message).toContain('compressed (gzip)');
    expect(out.length).toBe(0);
  });
});
