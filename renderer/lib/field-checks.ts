// What is wrong with each field of the create form, in the words of the person filling it.
// The form shows a field's problem once that field was left or Create was pressed; the engine
// checks the assembled request again (volume.validate), for what only it can know.

import { NAME_PATTERN } from '../../app/api/option-shapes.js';
import { isId, MODE, SIZE } from '../../app/api/option-shapes.js';
import type { FormFields } from './create-request.js';

export type FieldProblems = Partial<Record<keyof FormFields, string>>;

const ABSOLUTE = /^\/\S*$/;
const HOST = /^[A-Za-z0-9][A-Za-z0-9.-]*$|^\[?[0-9A-Fa-f:.]+\]?$/;

function nameProblem(name: string): string | undefined {
  const n = name.trim();
  if (!n) return 'Give the volume a name.';
  if (n.length > 128) return `A name has at most 128 characters; this one has ${n.length}.`;
  if (!NAME_PATTERN.test(n)) return 'Use letters, digits and _ . - only, starting with a letter or digit (no spaces or slashes).';
  return undefined;
}

/** A required value of a pattern: `missing` when empty, `malformed` when it does not match. */
const required = (v: string, pattern: RegExp, missing: string, malformed: string) => (!v.trim() ? missing : pattern.test(v.trim()) ? undefined : malformed);

const idProblem = (v: string, what: 'UID' | 'GID') => (v.trim() && !isId(v.trim()) ? `${what} is a number, such as 1000 (see the id command).` : undefined);

export function fieldProblems(f: FormFields): FieldProblems {
  const p: FieldProblems = { name: nameProblem(f.name) };
  switch (f.type) {
    case 'tmpfs':
      if (f.size.trim() && !SIZE.test(f.size.trim())) p.size = 'Size is a number of bytes with k, m or g after it (64m, 1g), or a share of memory such as 10%.';
      if (f.mode.trim() && !MODE.test(f.mode.trim())) p.mode = 'Mode is an octal permission: three or four digits from 0 to 7, such as 1777 or 0755.';
      p.uid = idProblem(f.uid, 'UID');
      p.gid = idProblem(f.gid, 'GID');
      break;
    case 'directory':
      p.uid = idProblem(f.uid, 'UID');
      p.gid = idProblem(f.gid, 'GID');
      break;
    case 'nfs':
      p.server = required(f.server, HOST, 'Name the NFS server, such as nas.local or 192.168.1.10.', 'A server is a host name or an IP address, without a path.');
      p.exportPath = required(f.exportPath, ABSOLUTE, "Type the export, such as /srv/share, or list the server's exports and pick one.", 'An export is a path on the server that starts with /, such as /srv/share.');
      break;
    case 'bind':
      p.source = required(f.source, ABSOLUTE, 'Choose the folder to bind: type its full path or browse to it.', 'Give the folder as a full path that starts with /, such as /srv/data.');
      break;
    case 'device':
      p.source = required(f.source, ABSOLUTE, 'Name the device or image file, such as /dev/sdb1 or /var/images/disk.img.', 'Give the device or image file as a full path that starts with /.');
      break;
    case 'ssh':
      p.sshHost = required(f.sshHost, HOST, 'Name the SSH server, such as build-box.local.', 'A host is a name or an IP address; put the user in User and the folder in Remote folder.');
      if (f.sshPort.trim() && !(/^\d{1,5}$/.test(f.sshPort.trim()) && Number(f.sshPort) >= 1 && Number(f.sshPort) <= 65535)) p.sshPort = 'Port is a number from 1 to 65535; empty means 22.';
      p.sshPath = required(f.sshPath, ABSOLUTE, "Type the remote folder, such as /home/me/project, or list the server's folders and pick one.", 'Give the remote folder as a full path that starts with /.');
      break;
    case 'plugin':
      if (!f.driver) p.driver = 'Choose the plugin that serves this volume.';
      break;
  }
  for (const k of Object.keys(p) as (keyof FormFields)[]) if (p[k] === undefined) delete p[k];
  return p;
}
