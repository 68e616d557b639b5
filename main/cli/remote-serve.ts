// `remote serve`: this machine's engine for another machine's command line or window, which
// reached it over SSH (main/shared/remote/channel.ts). The API contract as JSON lines on
// standard input and output, one answer per question, in order, until standard input ends.
// Each question goes through the contract's parsers as any front end's does; only the
// operations another machine is allowed to ask (app/api/answers.ts) are answered.

import { createInterface } from 'node:readline';
import { answerChecks } from '../../app/api/answers.js';
import type { Operation } from '../../app/api/contract.js';
import { invalidRequest } from '../../app/errors/catalogue.js';
import { createHandlers, dispatch } from '../../app/handlers/handlers.js';
import type { VolumeEngine } from '../../app/volume/engine.js';

/** A question's line: {id, op, request}; anything longer than this is no question. */
const MAX_LINE = 1 << 20;

export async function remoteServe(engine: VolumeEngine): Promise<number> {
  const api = createHandlers(engine);
  let busy = false;
  // The connection is gone (the other side was killed, or its network): a call still running
  // here would finish for nobody. It ends as a kill would end it, which every operation of the
  // engine survives (the counter and the mount table agree again at the next look).
  process.stdin.once('end', () => {
    if (busy) process.exit(0);
  });
  const lines = createInterface({ input: process.stdin, terminal: false, crlfDelay: Infinity });
  for await (const line of lines) {
    busy = true;
    let id: unknown = null;
    let envelope;
    try {
      if (line.length > MAX_LINE) throw invalidRequest('a question longer than any the contract has');
      const q = JSON.parse(line) as { id?: unknown; op?: unknown; request?: unknown };
      id = q.id;
      if (!Number.isSafeInteger(id)) throw invalidRequest('a question without a number');
      if (typeof q.op !== 'string' || !Object.hasOwn(answerChecks, q.op)) throw invalidRequest(`${JSON.stringify(q.op)} is not asked of another machine`);
      envelope = await dispatch(api, q.op as Operation, q.request);
    } catch (err) {
      envelope = { ok: false, error: (err instanceof Error && 'toJSON' in err ? (err as { toJSON(): unknown }).toJSON() : invalidRequest('a question that is not JSON').toJSON()) };
    }
    process.stdout.write(`${JSON.stringify({ id, envelope })}\n`);
    busy = false;
  }
  return 0;
}
