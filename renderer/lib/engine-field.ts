// The engine's refusal of a create request (volume.validate, volume.create), put at the field
// it is about and said in the words of the person filling the form. The engine speaks of
// options (o=, device=); the form of Size, Folder, Extra options. What cannot be placed stays
// in the line above Create, as the engine said it.

import type { GuidedErrorData } from '../../app/errors/guided-error.js';
import type { FormFields, VolumeType } from './create-request.js';

export interface FieldRefusal {
  field: keyof FormFields;
  text: string;
}

/** The field of the form of `type` that holds what a local option came from. */
const SOURCE_OF: Partial<Record<VolumeType, keyof FormFields>> = { bind: 'source', device: 'source', nfs: 'exportPath', ssh: 'sshPath' };
const OPTIONS_OF: Partial<Record<VolumeType, keyof FormFields>> = { nfs: 'extraOptions', bind: 'extraOptions', device: 'extraOptions', tmpfs: 'extraOptions', plugin: 'pluginOptions', ssh: 'sshKey' };

export function fieldOfRefusal(e: Pick<GuidedErrorData, 'code' | 'happened'>, f: Pick<FormFields, 'name' | 'type'>): FieldRefusal | null {
  const h = e.happened;
  if (e.code === 'VOLUME_EXISTS') return { field: 'name', text: `A volume named ${f.name.trim()} already exists. Choose another name, or find the existing one in the list.` };
  if (e.code === 'INVALID_NAME') return { field: 'name', text: 'Use letters, digits and _ . - only, starting with a letter or digit (no spaces or slashes).' };
  if (e.code !== 'INVALID_OPTION') return null;
  let m: RegExpMatchArray | null;
  if ((m = h.match(/^bind source (.+) (does not exist|is not a directory)/))) return { field: 'source', text: m[2] === 'does not exist' ? `There is no folder at ${m[1]}. Create it first, or browse to the one you meant.` : `${m[1]} is a file, not a folder: bind a folder.` };
  if ((m = h.match(/^device (.+) does not exist/))) return { field: 'source', text: `Nothing exists at ${m[1]}: name a device such as /dev/sdb1 or an image file.` };
  if ((m = h.match(/^device (.+) is neither a block device nor an image file/))) return { field: 'source', text: `${m[1]} is neither a device nor an image file.` };
  if (/^invalid (value for label|--label)/.test(h)) return { field: 'labels', text: 'A label is key=value, one per line, with no control characters and at most 4096 characters.' };
  if (/^invalid NFS server/.test(h)) return { field: 'server', text: 'A server is a host name or an IP address, without a path.' };
  if (/^invalid NFS port/.test(h)) return { field: 'extraOptions', text: 'The port in the extra options is a number from 0 to 65535.' };
  if (/^invalid remote folder|\.\." is not allowed in the remote path/.test(h)) return { field: 'sshPath', text: 'Give the remote folder as a full path of letters, digits and _ . @ + , = - /, with no "..".' };
  if (/^invalid SSH device/.test(h)) return { field: 'sshHost', text: 'A host is a name or an IP address; put the user in User and the folder in Remote folder.' };
  if ((m = h.match(/^invalid value for (\w+) in o=/))) {
    if (m[1] === 'port') return { field: 'sshPort', text: 'Port is a number from 1 to 65535; empty means 22.' };
    if (m[1] === 'IdentityFile') return { field: 'sshKey', text: 'Give the key file as a full path that starts with /.' };
  }
  if (/^size= /.test(h) || /^invalid size/.test(h)) return { field: 'size', text: 'Size is a number of bytes with k, m or g after it (64m, 1g), or a share of memory such as 10%.' };
  if ((m = h.match(/^invalid (uid|gid) /))) return { field: m[1] as 'uid' | 'gid', text: `${m[1]!.toUpperCase()} is a number, such as 1000 (see the id command).` };
  if (/^invalid (device|source) /.test(h) && SOURCE_OF[f.type]) return { field: SOURCE_OF[f.type]!, text: 'Give it as a full path of letters, digits and _ . @ + : , = - /, with no "." or ".." segments.' };
  if ((m = h.match(/^invalid mount option "?([^"\s]+)"? (in o=|for )/)) && OPTIONS_OF[f.type]) return { field: OPTIONS_OF[f.type]!, text: `${m[1]} is not accepted here: write options as name or name=value, separated by commas, from those mount takes for this type.` };
  if (/o=bind is for type=bind|in o=|o= needs/.test(h) && OPTIONS_OF[f.type]) return { field: OPTIONS_OF[f.type]!, text: `Not accepted: ${h}.` };
  return null;
}
