// What SSH volumes offer beyond mounting (DriverCapabilities.hostKeys): the keys a server
// offers, trusting one the person confirmed, and the server's folders for the create form.
// Options are a volume's or the form's, checked as create checks them.

import type { DriverCapabilities } from '../driver.js';
import { invalidOption, sshHostUnknown, sshUnreachable } from '../../errors/catalogue.js';
import { classifySshMount, isUnknownHost } from './classify.js';
import { isPlainPath, knownHostsName, parseSshOptions } from './options.js';
import { knownHostsFile, listRemoteFolders, scanHostKeys, trustHostKey } from './ssh.js';

const specOf = (options: Record<string, string>) => parseSshOptions({ ...options, type: 'sshfs' });

export const hostKeys: DriverCapabilities['hostKeys'] = {
  async keys(options) {
    const spec = specOf(options);
    const keys = await scanHostKeys(spec);
    if (!keys.length) throw sshUnreachable(spec.host, spec.port, `ssh-keyscan got no key from ${knownHostsName(spec)}`);
    return { Host: knownHostsName(spec), Fingerprints: keys.map((k) => k.fingerprint) };
  },

  async trust(options, fingerprint) {
    return { Fingerprint: await trustHostKey(specOf(options), fingerprint) };
  },

  async folders(options, path) {
    const spec = specOf(options);
    if (!isPlainPath(path)) throw invalidOption(`invalid remote folder ${JSON.stringify(path)}: an absolute path of letters, digits and _ . @ + , = - /`);
    const r = await listRemoteFolders(spec, path);
    if (r.ok) return { Path: path, Folders: r.folders };
    if (isUnknownHost(r.output)) throw sshHostUnknown('', knownHostsName(spec), (await scanHostKeys(spec)).map((k) => k.fingerprint), r.output);
    throw classifySshMount('', { ...spec, path }, r.output.replace(/Can't ls: "(.*)" not found/, '$1: No such file or directory'), knownHostsFile());
  },
};
