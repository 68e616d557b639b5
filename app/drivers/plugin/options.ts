// A plugin volume's options, as podman 4.3 reads them: every option goes to the plugin as it
// is, except a `timeout=SECONDS` entry inside `o` (`--opt o=timeout=30`), which sets how long
// the engine waits for this volume's plugin calls and is kept apart from the options, as
// podman keeps it in the volume's Timeout. Options travel as JSON, never through a shell, so
// only their size is limited.

import { invalidOption } from '../../errors/catalogue.js';

const MAX_OPTIONS = 64;
const MAX_KEY = 256;
const MAX_VALUE = 4096;
const MAX_TIMEOUT_SEC = 3600;

export interface PluginOptions {
  /** What is stored and sent to the plugin's Create. */
  options: Record<string, string>;
  /** Seconds, from o=timeout=N; absent means the plugin's default (containers.conf or 5 s). */
  timeout?: number;
}

function timeoutSeconds(value: string): number {
  if (!/^\d{1,4}$/.test(value) || Number(value) < 1 || Number(value) > MAX_TIMEOUT_SEC) {
    throw invalidOption(`invalid timeout ${JSON.stringify(value)} in o=: expected whole seconds from 1 to ${MAX_TIMEOUT_SEC}`);
  }
  return Number(value);
}

/** Checks the sizes and takes the timeout out of `o`; throws INVALID_OPTION. */
export function parsePluginOptions(given: Record<string, string>): PluginOptions {
  const entries = Object.entries(given);
  if (entries.length > MAX_OPTIONS) throw invalidOption(`too many options (${entries.length}); at most ${MAX_OPTIONS}`);
  for (const [k, v] of entries) {
    if (k === '' || k.length > MAX_KEY) throw invalidOption(`invalid option name ${JSON.stringify(k.slice(0, 40))}: 1 to ${MAX_KEY} characters`);
    if (v.length > MAX_VALUE) throw invalidOption(`option ${k} is longer than ${MAX_VALUE} characters`);
  }
  const options = { ...given };
  if (given.o === undefined) return { options };
  let timeout: number | undefined;
  const rest = given.o.split(',').filter((entry) => {
    const m = /^timeout=(.*)$/i.exec(entry);
    if (m) timeout = timeoutSeconds(m[1]!);
    return !m;
  });
  if (rest.length) options.o = rest.join(',');
  else delete options.o;
  return timeout === undefined ? { options } : { options, timeout };
}

/** The volume's own timeout, else the plugin default. */
export const timeoutFor = (timeoutSec: number | undefined, defaultMs: number) => (timeoutSec !== undefined ? timeoutSec * 1000 : defaultMs);
