// Debian's Chromium and the browser host as the e2e specs and the host benchmark drive them:
// one browser path, one set of flags, and one way to learn the address a host prints.

import type { ChildProcess } from 'node:child_process';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Resolves with the address `child` (dist/host.mjs) prints once it listens; rejects if it exits first. */
export function hostUrl(child: ChildProcess): Promise<string> {
  return new Promise((done, fail) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (d) => (err += d));
    child.on('exit', (code) => fail(new Error(`host exited with ${code}: ${err}`)));
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /is at (http\S+)/.exec(out);
      if (m) {
        child.removeAllListeners('exit');
        done(m[1]!);
      }
    });
  });
}
