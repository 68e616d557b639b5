// podman's plugin settings from containers.conf: `[engine.volume_plugins]` (name = socket
// path) and `[engine] volume_plugin_timeout` (seconds). Files are merged in order, a later
// file overriding an earlier one key by key, as podman does.

import { existsSync, readFileSync } from 'node:fs';

export interface ContainersConf {
  /** name → socket path, with the file each came from. */
  plugins: Map<string, { path: string; file: string }>;
  timeoutSec?: number;
  problems: { file: string; error: string }[];
}

export async function readContainersConfs(files: string[]): Promise<ContainersConf> {
  const out: ContainersConf = { plugins: new Map(), problems: [] };
  const present = files.filter((f) => existsSync(f));
  if (present.length === 0) return out;
  // Loaded only when a file exists: most commands never pay for the TOML parser.
  const { parse } = await import('smol-toml');
  for (const file of present) {
    let doc: Record<string, unknown>;
    try {
      doc = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      out.problems.push({ file, error: (err as Error).message.split('\n')[0]! });
      continue;
    }
    const engine = doc.engine as Record<string, unknown> | undefined;
    if (!engine || typeof engine !== 'object') continue;
    const timeout = engine.volume_plugin_timeout;
    if (timeout !== undefined) {
      if (typeof timeout === 'number' && Number.isInteger(timeout) && timeout > 0) out.timeoutSec = timeout;
      else out.problems.push({ file, error: `volume_plugin_timeout = ${JSON.stringify(timeout)} is not a positive whole number of seconds` });
    }
    const plugins = engine.volume_plugins;
    if (plugins === undefined) continue;
    if (typeof plugins !== 'object' || plugins === null || Array.isArray(plugins)) {
      out.problems.push({ file, error: '[engine.volume_plugins] is not a table' });
      continue;
    }
    for (const [name, path] of Object.entries(plugins)) {
      if (typeof path === 'string') out.plugins.set(name, { path, file });
      else out.problems.push({ file, error: `volume_plugins.${name} is not a string path` });
    }
  }
  return out;
}
