// The SSH operations of the contract: a server's keys, trusting one, and its folders. A server
// is an existing volume's (by name: the host and port its mounts use) or the one being typed
// into the create form (by its options, checked as create checks them).

import type { SshServerRequest } from '../api/contract.js';
import type { SshHostKeys } from '../api/types.js';
import { classifySshMount, isUnknownHost } from '../drivers/sshfs/classify.js';
import { isPlainPath, knownHostsName, parseSshOptions, type SshSpec } from '../drivers/sshfs/options.js';
import { knownHostsFile, listRemoteFolders, scanHostKeys, trustHostKey } from '../drivers/sshfs/ssh.js';
import { invalidOption, invalidRequest, sshHostUnknown, sshUnreachable } from '../errors/catalogue.js';
import type { VolumeEngine } from '../volume/engine.js';

async function specOf(engine: VolumeEngine, server: SshServerRequest): Promise<SshSpec> {
  if (server.options) return parseSshOptions({ ...server.options, type: 'sshfs' });
  const [v] = await engine.inspect([server.name!]);
  if (v!.Kind !== 'sshfs') throw invalidRequest(`${server.name} is not an SSH volume (type=sshfs)`);
  return parseSshOptions(v!.Options);
}

export async function sshHostKeys(engine: VolumeEngine, server: SshServerRequest): Promise<SshHostKeys> {
  const spec = await specOf(engine, server);
  const keys = await scanHostKeys(spec);
  if (!keys.length) throw sshUnreachable(spec.host, spec.port, `ssh-keyscan got no key from ${knownHostsName(spec)}`);
  return { Host: knownHostsName(spec), Fingerprints: keys.map((k) => k.fingerprint) };
}

export async function sshTrust(engine: VolumeEngine, server: SshServerRequest, fingerprint: string): Promise<{ Fingerprint: string }> {
  return { Fingerprint: await trustHostKey(await specOf(engine, server), fingerprint) };
}

export async function sshFolders(options: Record<string, string>, path: string): Promise<{ Path: string; Folders: string[] }> {
  const spec = parseSshOptions({ ...options, type: 'sshfs' });
  if (!isPlainPath(path)) throw invalidOption(`invalid remote folder ${JSON.stringify(path)}: an absolute path of letters, digits and _ . @ + , = - /`);
  const r = await listRemoteFolders(spec, path);
  if (r.ok) return { Path: path, Folders: r.folders };
  if (isUnknownHost(r.output)) throw sshHostUnknown('', knownHostsName(spec), (await scanHostKeys(spec)).map((k) => k.fingerprint), r.output);
  throw classifySshMount('', { ...spec, path }, r.output.replace(/Can't ls: "(.*)" not found/, '$1: No such file or directory'), knownHostsFile());
}
