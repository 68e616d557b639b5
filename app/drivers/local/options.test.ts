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
