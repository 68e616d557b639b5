// `volume-manager-host`: serves the window to a browser on this machine (or through an SSH
// tunnel: ssh -L 7878:127.0.0.1:7878 host). Prints the URL with its token and runs until
// interrupted.
//
//   node dist/host.mjs [--port N] [--state-dir DIR] [plugin location flags as the command line]

import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultLocations, withOverrides } from '../../app/plugin-client/locations.js';
import { defaultStateDir } from '../../app/state/layout.js';
import { VolumeEngine } from '../../app/volume/engine.js';
import { commandLine } from '../shared/command-line.js';
import { xdgOpen } from '../shared/open-mountpoint.js';
import { startHost } from './server.js';

const USAGE = `Usage: volume-manager-host [--port N] [--state-dir DIR]
                           [--plugin-socket-dir DIR]... [--plugin-spec-dir DIR]... [--containers-conf FILE]...

Serves the Volume Manager window on http://127.0.0.1:PORT (a free port by default) and prints
an address that logs one browser in, once; it prints another when that one is spent. From
another machine, tunnel it: ssh -L 7878:127.0.0.1:7878 HOST, with --port 7878 here.
Programs may call it with the secret set in VOLUME_MANAGER_HOST_TOKEN, sent in the
X-Volume-Manager-Token header.`;

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

// Programs that drive the host (scripts, the tests) may set its secret, sent in the
// X-Volume-Manager-Token header; it is never printed. Browsers use the printed address.
const secret = process.env.VOLUME_MANAGER_HOST_TOKEN;
if (secret !== undefined && !/^[A-Za-z0-9_-]{32,}$/.test(secret)) {
  console.error('VOLUME_MANAGER_HOST_TOKEN: expected 32 or more letters, digits, _ or -');
  process.exit(2);
}
const stateDir = resolve(values['state-dir'] ?? defaultStateDir());
// The autostart entry runs the command line beside this bundle, for this store.
const autostart = { exec: [process.execPath, resolve(import.meta.dirname, 'cli.cjs'), '--state-dir', stateDir, 'volume', 'restore', '--notify'] };
const engine = new VolumeEngine({ stateDir, plugins, autostart });
let host: Awaited<ReturnType<typeof startHost>>;
try {
  host = await startHost({
    engine,
    port,
    ...(secret ? { token: secret } : {}),
    rendererDir: resolve(import.meta.dirname, 'renderer'),
    opener: xdgOpen,
    commandLine: commandLine(autostart.exec.slice(0, 2), stateDir),
    bundle: import.meta.dirname,
    // The store is reconciled by the host's start-up work, while the browser loads the page. A
    // store that cannot be read (set aside as corrupt, or locked) is said in one line; the calls
    // then meet the store as it is.
    startUpFailed: (err) => console.error(`volume-manager-host: ${(err as Error).message}`),
    onLogin: () => console.log(`That address is spent. For another browser: ${host.loginUrl()}`),
  });
} catch (err) {
  // podman's exit code for an error of its own; one line, not a stack.
  if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') console.error(`volume-manager-host: port ${port} on 127.0.0.1 is in use by another program; choose another with --port, or --port 0 for a free one`);
  else console.error(`volume-manager-host: ${(err as Error).message}`);
  process.exit(125);
}
console.log(`Volume Manager is at ${host.url}`);
console.log('Open it in a browser on this machine. The address works once: the browser then holds a key the page itself cannot read.');
const stop = () => void host.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
