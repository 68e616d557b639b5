// The other machine's side of a connection: this very bundle, run there by that machine's
// Node as the SSH user. Where it is not there yet, it is copied over the same SSH connection
// into a folder named after the bundle's content (~/.cache/volume-manager/bundle-ID), once;
// another version of the app gets a folder of its own. Every word sent to the far shell is
// fixed text or quoted here: nothing a person typed is read there as shell.

import { crypto } from '../../../app/system/crypto-lazy.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { quoted } from '../../../app/errors/shell-words.js';

/** The oldest Node the bundle runs on (package.json's engines). */
export const MIN_NODE = [20, 19] as const;

const ids = new Map<string, string>();

/** The command line's files in the folder of cli.cjs: its entry and its one bundle, without maps. */
export const BUNDLE_FILES = ['cli.cjs', 'cli-main.cjs'];

/** 16 hex digits of the bundle's content: a changed bundle is a new folder there. */
export function bundleId(dir: string): string {
  let id = ids.get(dir);
  if (!id) {
    const h = crypto().createHash('sha256');
    for (const f of BUNDLE_FILES) h.update(f).update('\0').update(readFileSync(join(dir, f)));
    ids.set(dir, (id = h.digest('hex').slice(0, 16)));
  }
  return id;
}

const folder = (id: string) => `d="\${XDG_CACHE_HOME:-$HOME/.cache}/volume-manager/bundle-${id}"`;

/** Unpacks the tar on standard input as the bundle's folder, in one rename; a folder there already stays. */
export const unpackScript = (id: string) => `set -e; ${folder(id)}; p="$d.part-$$"; mkdir -p "$p"; tar -xf - -C "$p"; mv -T "$p" "$d" 2>/dev/null || rm -rf "$p"`;

/** What the far shell prints first: the bundle runs next, or it is not there (with Node's version and arch). */
export const READY = 'volume-manager-ready';
export const MISSING = 'volume-manager-missing';

/**
 * Runs the bundle there with `args` (each quoted), replacing the shell, after one line that
 * says so; where the bundle (or node) is missing, one line that says what Node is there
 * instead. One round trip either way: Node's version is asked only when the bundle is missing.
 */
export const runScript = (id: string, args: string[]) =>
  `${folder(id)}; if [ -f "$d/cli.cjs" ] && command -v node >/dev/null 2>&1; then echo ${READY}; exec node "$d/cli.cjs" ${args.map(quoted).join(' ')}; fi; ` +
  `v=$(node -p 'process.versions.node+" "+process.arch' 2>/dev/null) || v='none none'; echo "${MISSING} $v"`;

/** Whether `version` (Node's, as the far side printed it) runs the bundle. */
export function nodeFits(version: string): boolean {
  const [major, minor] = version.split('.').map(Number);
  return major! > MIN_NODE[0] || (major === MIN_NODE[0] && minor! >= MIN_NODE[1]);
}
