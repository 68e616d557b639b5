// The browser host's routes for the bytes of an export or import: a streamed download (a
// single-use ticket in the query, as a download cannot send headers) and a streamed upload
// (authorised as every call). Names and ids go through the contract's parsers; the paths
// they touch are the engine's, never the page's.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { importRequest, transferRequest } from '../../app/api/parsers.js';
import type { Transfers } from '../../app/handlers/transfers.js';
import { toGuided } from '../../app/errors/guided-error.js';
import type { VolumeEngine } from '../../app/volume/engine.js';
import { exportVolume, importVolume } from '../../app/transfer/transfer.js';

type Send = (res: ServerResponse, status: number, body: unknown) => void;

/** GET: the archive of one volume as a download; its end and errors reach the page as transfer events. */
export async function serveExport(engine: VolumeEngine, transfers: Transfers, query: URLSearchParams, res: ServerResponse, send: Send): Promise<void> {
  let request;
  try {
    request = transferRequest({ name: query.get('name') ?? undefined, id: query.get('id') ?? undefined }, 'export');
  } catch (err) {
    return send(res, 400, { ok: false, error: toGuided(err).toJSON() });
  }
  const { name, id } = request;
  res.setHeader('Content-Type', 'application/x-tar');
  res.setHeader('Content-Disposition', `attachment; filename="${name}.tar"`);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  // The browser cancelled the download, or the tab went away.
  res.on('close', () => {
    if (!res.writableFinished) transfers.cancel(id);
  });
  const env = await transfers.run(id, name, 'export', (hooks) => exportVolume(engine, name, res, hooks));
  if (env.ok) return;
  if (!res.headersSent) send(res, 409, env);
  else res.destroy();
}

/** PUT: the request's body, streamed into one volume; answers the envelope once it is over. */
export async function serveImport(engine: VolumeEngine, transfers: Transfers, query: URLSearchParams, req: IncomingMessage, res: ServerResponse, send: Send): Promise<void> {
  let request;
  try {
    request = importRequest({ name: query.get('name') ?? undefined, id: query.get('id') ?? undefined, replace: query.get('replace') === '1' }, 'import');
  } catch (err) {
    req.resume();
    return send(res, 400, { ok: false, error: toGuided(err).toJSON() });
  }
  const { name, id, replace } = request;
  const length = Number(req.headers['content-length']);
  // The import may stop reading early (a refusal, a cancel); the request itself must live on
  // to carry the answer, so the import reads a pass-through, never the socket.
  const body = new PassThrough();
  req.pipe(body);
  // An upload cut off mid-way ends its import at once: tar meets the end of its input, the
  // stage goes and the volume is released, instead of waiting for bytes that never come.
  req.once('close', () => {
    if (req.complete) return;
    transfers.cancel(id);
    body.destroy();
  });
  const env = await transfers.run(id, name, 'import', (hooks) => importVolume(engine, name, body, { ...hooks, replace, file: `${name}.tar`, ...(Number.isSafeInteger(length) && length > 0 ? { size: length } : {}) }));
  if (!req.complete) {
    req.unpipe(body);
    req.resume();
    await new Promise((r) => {
      req.once('end', r);
      req.once('close', r);
    });
  }
  body.destroy();
  send(res, 200, env);
}
