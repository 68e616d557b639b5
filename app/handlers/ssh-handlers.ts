// The SSH operations of the contract: an SSH volume's server keys, and trusting one. They act
// on the volume's own options (so the host and port are the ones mounts use) and refuse any
// volume that is not an SSH volume.

import type { SshHostKeys } from '../api/types.js';
import { knownHostsName, parseSshOptions } from '../drivers/sshfs/options.js';
import { scanHostKeys, trustHostKey } from '../drivers/sshfs/ssh.js';
import { invalidRequest, sshUnreachable } from '../errors/catalogue.js';
import type { VolumeEngine } from '../volume/engine.js';

async function specOf(engine: VolumeEngine, name: string) {
  const [v] = await engine.inspect([name]);
  if (v!.Kind !== 'sshfs') throw invalidRequest(`${name} is not an SSH volume (type=sshfs)`);
  return parseSshOptions(v!.Options);
}

export async function sshHostKeys(engine: VolumeEngine, name: string): Promise<SshHostKeys> {
  const spec = await specOf(engine, name);
  const keys = await scanHostKeys(spec);
  if (!keys.length) throw sshUnreachable(spec.host, spec.port, `ssh-keyscan got no key from ${knownHostsName(spec)}`);
  return { Host: knownHostsName(spec), Fingerprints: keys.map((k) => k.fingerprint) };
}

export async function sshTrust(engine: VolumeEngine, name: string, fingerprint: string): Promise<{ Fingerprint: string }> {
  return { Fingerprint: await trustHostKey(await specOf(engine, name), fingerprint) };
}
