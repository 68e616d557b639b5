#!/usr/bin/env node
// The `volume-manager` command (dist/cli.cjs): runs the command line's bundle, cli-main.cjs
// beside it, with V8's code cache of that bundle where one may be used (code-cache.ts), and
// leaves one for the next run where there was none. CommonJS throughout, entry included: Node
// starts its ES module loader for an .mjs entry, which alone costs a tenth of a bare start.

import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { constants, Script } from 'node:vm';
import { cacheSpot, outdated, ownedAlone, readTrusted, type CacheSpot } from './code-cache.js';

// Built as CommonJS: __dirname is the folder of dist/cli.cjs.
const dir = __dirname;
const file = join(dir, 'cli-main.cjs');
// A shebang is not JavaScript inside the module wrapper; a comment keeps the lines where they were.
const source = readFileSync(file, 'utf8').replace(/^#!/, '//');
const uid = process.geteuid?.() ?? -1;
const spot: CacheSpot | null = process.env.VOLUME_MANAGER_NO_CODE_CACHE ? null : cacheSpot(file, statSync(file));

/** At exit, so the functions the verb ran are in it too; in a folder only this user may write. */
function writeCache(script: Script, at: CacheSpot) {
  try {
    mkdirSync(at.dir, { recursive: true, mode: 0o700 });
    if (!ownedAlone(lstatSync(at.dir), uid, 'dir')) return;
    const temp = `${at.file}.${process.pid}`;
    writeFileSync(temp, script.createCachedData(), { mode: 0o600, flag: 'wx' });
    renameSync(temp, at.file);
    for (const old of readdirSync(at.dir)) if (outdated(old, at)) rmSync(join(at.dir, old), { force: true });
  } catch {
    /* no cache this time: the next run compiles again */
  }
}

const cachedData = spot ? readTrusted(spot, uid) : undefined;
// CommonJS's own wrapper, as Node's loader puts around a module's text.
const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
const script = new Script(wrapped, { filename: file, ...(cachedData ? { cachedData } : {}), importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
if (spot && (!cachedData || script.cachedDataRejected)) process.once('exit', () => writeCache(script, spot));
const exports = {};
const mod = { exports, filename: file, id: file, loaded: false };
(script.runInThisContext() as (...a: unknown[]) => void).call(exports, exports, createRequire(file), mod, file, dir);
