// The browser host's routes for the bytes of an export or import: a streamed download (a
// single-use ticket in the query, as a download cannot send headers) and a streamed upload
// (authorised as every call). Both go through the transfer wing's dispatch, which checks the
// request with the contract's parsers; the paths they touch are the engine's, never the page's.
// With ?machine=NAME, the volume is another machine's, and `elsewhere` streams it there.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { fileLabel } from '../../app/api/file-label.js';
import type { Transfers } from '../../app/transfer/window-transfers.js';
import { dispatchExport, dispatchImport, type ElsewhereTransfers } from '../../app/transfer/dispatch.js';
import type { VolumeEngine } from '../../app/volume/engine.js';

type Send = (res: ServerResponse, status: number, body: unknown) => void;

/** GET: the archive of one volume as a download; its end and errors reach the page as transfer events. */
export async function serveExport(engine: VolumeEngine, transfers: Transfers, query: URLSearchParams, res: ServerResponse, send: Send, elsewhere?: ElsewhereTransfers): Promise<void> {
  let started = false;
  const env = await dispatchExport(engine, transfers.run, { name: query.get('name') ?? undefined, id: query.get('id') ?? undefined }, async ({ name, id }) => {
    started = true;
    res.setHeader('Content-Type', 'application/x-tar');
    res.setHeader('Content-Disposition', `attachment; filename="${name}.tar"`);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // The browser cancelled the download, or the tab went away.
    res.on('close', () => {
      if (!res.writableFinished) transfers.cancel(id);
    });
    return { stream: res };
  }, elsewhere);
  if (env.ok) return;
  if (!res.headersSent) send(res, started ? 409 : 400, env);
  else res.destroy();
}

/** PUT: the request's body, streamed into one volume; answers the envelope once it is over. */
export async function serveImport(engine: VolumeEngine, transfers: Transfers, query: URLSearchParams, req: IncomingMessage, res: ServerResponse, send: Send, elsewhere?: ElsewhereTransfers): Promise<void> {
  const length = Number(req.headers['content-length']);
  // The import may stop reading early (a refusal, a cancel); the request itself must live on
  // to carry the answer, so the import reads a pass-through, never the socket.
  const body = new PassThrough();
  const raw = { name: query.get('name') ?? undefined, id: query.get('id') ?? undefined, replace: query.get('replace') === '1' };
  let started = false;
  const env = await dispatchImport(engine, transfers.run, raw, ({ id }) => {
    started = true;
    req.pipe(body);
    // An upload cut off mid-way ends its import at once: tar meets the end of its input, the
    // stage goes and the volume is released, instead of waiting for bytes that never come.
    req.once('close', () => {
      if (req.complete) return;
      transfers.cancel(id);
      body.destroy();
    });
    const label = fileLabel(query.get('file'));
    return { stream: body, ...(label ? { label } : {}), ...(Number.isSafeInteger(length) && length > 0 ? { size: length } : {}) };
  }, elsewhere);
  if (!started) {
    req.resume();
    return send(res, 400, env);
  }
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
