// A plugin volume's options: passed through to the plugin as they are, except `timeout`
// (podman's per-volume plugin timeout, in seconds), which the engine keeps for itself.
// They travel as JSON, never through a shell, so only size is limited.

import { invalidOption } from '../errors/catalogue.js';
import { ENGINE_OPTIONS } from '../plugins/protocol.js';

const MAX_OPTIONS = 64;
const MAX_KEY = 256;
const MAX_VALUE = 4096;
const MAX_TIMEOUT_SEC = 3600;

export function checkPluginOptions(options: Record<string, string>): void {
  const entries = Object.entries(options);
  if (entries.length > MAX_OPTIONS) throw invalidOption(`too many options (${entries.length}); at most ${MAX_OPTIONS}`);
  for (const [k, v] of entries) {
    if (k === '' || k.length > MAX_KEY) throw invalidOption(`invalid option name ${JSON.stringify(k.slice(0, 40))}: 1 to ${MAX_KEY} characters`);
    if (v.length > MAX_VALUE) throw invalidOption(`option ${k} is longer than ${MAX_VALUE} characters`);
  }
  if (options.timeout !== undefined) timeoutSeconds(options.timeout);
}

function timeoutSeconds(value: string): number {
  if (!/^\d{1,4}$/.test(value) || Number(value) < 1 || Number(value) > MAX_TIMEOUT_SEC) {
    throw invalidOption(`invalid timeout ${JSON.stringify(value)}: expected whole seconds from 1 to ${MAX_TIMEOUT_SEC}`);
  }
  return Number(value);
}

/** The volume's own timeout, else the plugin default. */
export const timeoutFor = (options: Record<string, string>, defaultMs: number) =>
  options.timeout !== undefined ? timeoutSeconds(options.timeout) * 1000 : defaultMs;

/** What the plugin receives as `Opts`. */
export function pluginOpts(options: Record<string, string>): Record<string, string> {
  const out = { ...options };
  for (const k of ENGINE_OPTIONS) delete out[k];
  return out;
}
