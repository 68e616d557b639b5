// The one change the window makes to a person's containers.conf: the line that points podman
// at the plugin server, in [engine.volume_plugins]. A text edit, not a parse and re-print, so
// the file keeps its comments, order and spelling; the result is parsed to prove it says what
// was meant, and a file that does not parse is not touched.

import { parse } from 'smol-toml';
import { invalidRequest } from '../../../app/errors/catalogue.js';
import { PLUGIN_NAME } from './socket.js';

const TABLE = /^\s*\[\s*engine\s*\.\s*volume_plugins\s*\]\s*(#.*)?$/;
const ANY_TABLE = /^\s*\[/;
const OUR_KEY = new RegExp(`^\\s*("${PLUGIN_NAME}"|${PLUGIN_NAME})\\s*=`);

/** `socket` as a TOML basic string; a path with a control character is refused. */
function tomlString(socket: string): string {
  if (/[\u0000-\u001f\u007f]/.test(socket)) throw invalidRequest(`the socket path ${JSON.stringify(socket)} holds a control character`);
  return `"${socket.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** What podman would read as the plugin's socket in `text`, or undefined. */
export function configuredSocket(text: string): string | undefined {
  const doc = parse(text) as { engine?: { volume_plugins?: Record<string, unknown> } };
  const v = doc.engine?.volume_plugins?.[PLUGIN_NAME];
  return typeof v === 'string' ? v : undefined;
}

/**
 * `text` (a containers.conf, '' for none) with `volume-manager = "SOCKET"` in its
 * [engine.volume_plugins] table: the line replaced where there is one, added under the table's
 * header where the table exists, the table added at the end where it does not.
 */
export function withPluginLine(text: string, socket: string): string {
  try {
    parse(text);
  } catch (err) {
    throw invalidRequest(`containers.conf does not parse as TOML, so it was left as it is: ${(err as Error).message.split('\n')[0]}`);
  }
  const line = `${PLUGIN_NAME} = ${tomlString(socket)}`;
  const lines = text.split('\n');
  const header = lines.findIndex((l) => TABLE.test(l));
  let out: string;
  if (header < 0) {
    const body = text === '' || text.endsWith('\n') ? text : `${text}\n`;
    out = `${body}${body ? '\n' : ''}[engine.volume_plugins]\n${line}\n`;
  } else {
    let end = lines.findIndex((l, i) => i > header && ANY_TABLE.test(l));
    if (end < 0) end = lines.length;
    const ours = lines.findIndex((l, i) => i > header && i < end && OUR_KEY.test(l));
    if (ours >= 0) lines[ours] = line;
    else lines.splice(header + 1, 0, line);
    out = lines.join('\n');
  }
  let read: string | undefined;
  try {
    read = configuredSocket(out);
  } catch {
    read = undefined;
  }
  if (read !== socket) throw invalidRequest('containers.conf sets its volume plugins in a way this edit cannot follow (an inline table, or dotted keys under [engine]), so it was left as it is; add the lines shown by hand');
  return out;
}
