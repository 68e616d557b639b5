// `volume-manager-host`: serves the window to a browser on this machine (or through an SSH
// tunnel: ssh -L 7878:127.0.0.1:7878 host). Prints the URL with its token and runs until
// interrupted.
//
//   node dist/host.mjs [--port N] [--state-dir DIR] [plugin location flags as the command line]

import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultLocations, withOverrides } from '../../app/plugins/locations.js';
import { defaultStateDir } from '../../app/state/layout.js';
import { VolumeEngine } from '../../app/volume/engine.js';
import { commandLine } from '../shared/command-line.js';
import { xdgOpen } from '../shared/open-mountpoint.js';
import { startHost } from './server.js';

const USAGE = `Usage: volume-manager-host [--port N] [--state-dir DIR]
                           [--plugin-socket-dir DIR]... [--plugin-spec-dir DIR]... [--containers-conf FILE]...

Serves the Volume Manager window on http://127.0.0.1:PORT (a free port by default) and prints
its address with the token that every request must carry. From another machine, tunnel it:
ssh -L 7878:127.0.0.1:7878 HOST, with --port 7878 here.`;

function readArgs() {
  try {
    return parseArgs({
      options: {
        help: { type: 'boolean', short: 'h' },
        port: { type: 'string' },
        'state-dir': { type: 'string' },
        'plugin-socket-dir': { type: 'string', multiple: true },
        'plugin-spec-dir': { type: 'string', multiple: true },
        'containers-conf': { type: 'string', multiple: true },
      },
    }).values;
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
}

const values = readArgs();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const port = values.port === undefined ? 0 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port ${values.port}: expected a port number`);
  process.exit(2);
}
const plugins = withOverrides(defaultLocations(), {
  socketDirs: values['plugin-socket-dir']?.map((d) => resolve(d)),
  specDirs: values['plugin-spec-dir']?.map((d) => resolve(d)),
  containersConfs: values['containers-conf']?.map((d) => resolve(d)),
});

const stateDir = resolve(values['state-dir'] ?? defaultStateDir());
// The autostart entry runs the command line beside this bundle, for this store.
const autostart = { exec: [process.execPath, resolve(import.meta.dirname, 'cli.mjs'), '--state-dir', stateDir, 'volume', 'restore', '--notify'] };
const engine = new VolumeEngine({ stateDir, plugins, autostart });
await engine.reconcile();
const host = await startHost({ engine, port, rendererDir: resolve(import.meta.dirname, 'renderer'), opener: xdgOpen, commandLine: commandLine(autostart.exec.slice(0, 2), stateDir) });
console.log(`Volume Manager is at ${host.url}`);
console.log('Open it in a browser on this machine; the token in the address is the key, keep it to yourself.');
const stop = () => void host.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
