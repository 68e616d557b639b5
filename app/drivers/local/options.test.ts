import { describe, expect, it } from 'vitest';
import { errorCode as code } from '../../../test/helpers/fixtures.js';
import { parseLocalOptions } from './options.js';

describe('local options', () => {
  it('passes tmpfs size, uid and gid to mount (podman 4.3 wrongly rejects size)', () => {
    const s = parseLocalOptions({ type: 'tmpfs', size: '64m', uid: '1000', gid: '1000', o: 'mode=1777' });
    expect(s).toMatchObject({ kind: 'tmpfs', device: 'tmpfs', type: 'tmpfs', mountOptions: ['mode=1777', 'size=64m', 'uid=1000', 'gid=1000'] });
  });
  it('treats a volume without mount options as a plain directory', () => {
    expect(parseLocalOptions({})).toMatchObject({ kind: 'directory', mountOptions: [] });
  });
  it('rejects unknown keys the way podman words it', () => {
    expect(() => parseLocalOptions({ colour: 'red' })).toThrow("invalid mount option colour for driver 'local'");
  });
  it('turns type=bind into -o bind and requires an existing directory', () => {
    expect(parseLocalOptions({ type: 'bind', device: '/tmp' })).toMatchObject({ kind: 'bind', mountOptions: ['bind'] });
    expect(() => parseLocalOptions({ type: 'bind', device: '/no/such/dir' })).toThrow(/does not exist/);
  });
  it('parses an NFS device and its port', () => {
    expect(parseLocalOptions({ type: 'nfs', device: 'srv:/export', o: 'addr=10.0.0.1,port=2050,nfsvers=4.1' }).nfs).toEqual({ server: '10.0.0.1', path: '/export', port: 2050 });
  });
  it("refuses a tmpfs mode that is not octal at create, where mount would say only \"bad option\" later", () => {
    expect(() => parseLocalOptions({ type: 'tmpfs', o: 'mode=abc' })).toThrow('invalid tmpfs mode "abc": an octal permission such as 1777 or 0755');
    expect(() => parseLocalOptions({ type: 'tmpfs', o: 'mode=1778' })).toThrow(/invalid tmpfs mode/);
    expect(parseLocalOptions({ type: 'tmpfs', o: 'mode=0755' }).mountOptions).toEqual(['mode=0755']);
  });
  it.each(['fuse.bash', 'fuse', 'fuseblk', 'fuse.sshfs', 'proc', 'overlay', 'ntfs'])('refuses type=%s at create: root mounts only kernel file systems that run no program', (type) => {
    expect(code(() => parseLocalOptions({ type, device: '/tmp' }))).toBe('INVALID_OPTION');
  });
  it('says a FUSE type mounts without root', () => {
    try {
      parseLocalOptions({ type: 'fuse.bash', device: '/tmp' });
      expect.unreachable();
    } catch (e) {
      expect(String((e as Error).message)).toContain('refusing type "fuse.bash"');
      expect(JSON.stringify(e)).toContain('FUSE file systems mount without root');
    }
  });
  it.each(['rbind', 'bind,shared', 'bind,rslave', 'bind,private', 'bind,unbindable', 'bind,runbindable', 'move', 'remount', 'bind,make-shared', 'loop=/dev/loop0', 'offset=1', 'X-mount.owner=0', 'x-systemd.automount', 'helper=udisks2'])('refuses o=%s at create', (o) => {
    expect(code(() => parseLocalOptions({ type: 'bind', device: '/tmp', o }))).toBe('INVALID_OPTION');
  });
  it('takes podman\'s type=none with o=bind, and refuses bind for a tmpfs or NFS', () => {
    expect(parseLocalOptions({ type: 'none', device: '/tmp', o: 'bind' })).toMatchObject({ kind: 'bind', source: 'dir', mountOptions: ['bind'] });
    expect(code(() => parseLocalOptions({ type: 'none', device: '/tmp' }))).toBe('INVALID_OPTION');
    expect(code(() => parseLocalOptions({ type: 'tmpfs', o: 'bind' }))).toBe('INVALID_OPTION');
    expect(code(() => parseLocalOptions({ type: 'nfs', device: 'srv:/x', o: 'bind' }))).toBe('INVALID_OPTION');
  });
  it('refuses size for anything but tmpfs', () => expect(() => parseLocalOptions({ size: '1g' })).toThrow(/only supported with type=tmpfs/));
  it.each([
    { type: 'tmpfs', o: 'size=1m;touch /tmp/x' },
    { type: 'tmpfs', o: 'size=$(id)' },
    { type: 'tmpfs', o: 'x=`id`' },
    { type: 'tmpfs', device: "tmp'fs" },
    { type: 'ext4', device: '/tmp/../etc/passwd' },
    { type: 'ext4', device: 'relative.img' },
    { type: 'nfs', device: 'host:/x y' },
    { type: 'nfs', device: '$(id):/x' },
    { type: 'tmp fs' },
    { type: 'tmpfs', size: '1g; reboot' },
    { uid: 'root' },
  ])('rejects hostile or malformed %j', (opts) => expect(code(() => parseLocalOptions(opts as unknown as Record<string, string>))).toBe('INVALID_OPTION'));
});

describe("podman's spellings of local options", () => {
  it('takes o=uid=N,gid=N alone as the owner of a plain directory', () => {
    expect(parseLocalOptions({ o: 'uid=1000,gid=1000' })).toMatchObject({ kind: 'directory', owner: { uid: 1000, gid: 1000 } });
    expect(() => parseLocalOptions({ o: 'uid=1000,noexec' })).toThrow(/o= needs type= or device=/);
  });
  it('takes device=tmpfs alone as a tmpfs', () => {
    expect(parseLocalOptions({ device: 'tmpfs' })).toMatchObject({ kind: 'tmpfs', type: 'tmpfs', device: 'tmpfs' });
  });
  it('keeps nocopy, copy and noquota, which only podman acts on, and mounts nothing else for them', () => {
    expect(parseLocalOptions({ nocopy: '' })).toMatchObject({ kind: 'directory', mountOptions: [] });
    expect(parseLocalOptions({ type: 'tmpfs', copy: 'x', noquota: 'true' })).toMatchObject({ kind: 'tmpfs', mountOptions: [] });
  });
});
