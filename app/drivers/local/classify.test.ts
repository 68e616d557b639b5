import { describe, expect, it } from 'vitest';
import { classifyMountError, classifyUnmountError, isBusy, isNotMounted } from './classify.js';
import { parseLocalOptions } from './options.js';

const nfs = parseLocalOptions({ type: 'nfs', device: '10.0.0.9:/srv/share', o: 'addr=10.0.0.9' });
const tmpfs = parseLocalOptions({ type: 'tmpfs' });

describe('what mount and umount printed, as guided errors', () => {
  it.each([
    ["mount: /x: unknown filesystem type 'nfs'.", 'NFS_HELPER_MISSING'],
    ['mount.nfs: No such device', 'NFS_KERNEL_MISSING'],
    ['mount.nfs: access denied by server while mounting 10.0.0.9:/srv/share', 'NFS_ACCESS_DENIED'],
    ['mount.nfs: mounting 10.0.0.9:/srv/share failed, reason given by server: No such file or directory', 'NFS_EXPORT_NOT_FOUND'],
    ['mount.nfs: Connection refused', 'NFS_SERVER_UNREACHABLE'],
    ['mount.nfs: Connection timed out', 'NFS_SERVER_UNREACHABLE'],
    ['mount: something else went wrong', 'MOUNT_FAILED'],
  ])('NFS: %s is %s', (output, code) => expect(classifyMountError('v', nfs, output).code).toBe(code));

  it('tells the root script\'s own refusals apart from mount\'s errors', () => {
    const out = 'volume-manager (root): /run/volume-manager/1000 (mode 777) is writable by others than root';
    expect(classifyMountError('v', tmpfs, out).code).toBe('TARGET_REFUSED');
    expect(classifyUnmountError('v', out).code).toBe('TARGET_REFUSED');
    expect(classifyUnmountError('v', 'umount: /x: not permitted').code).toBe('UNMOUNT_FAILED');
  });

  it('knows a busy target and one that is not mounted, in util-linux\'s old and new words', () => {
    expect([isBusy('umount: /x: target is busy.'), isBusy('umount: /x: device is busy.'), isBusy('umount: /x: not mounted.')]).toEqual([true, true, false]);
    expect([isNotMounted('umount: /x: not mounted.'), isNotMounted('umount: /x: no mount point specified.'), isNotMounted('umount: /x: target is busy.')]).toEqual([true, true, false]);
  });
});
