import { describe, expect, it } from 'vitest';
import { parsers } from '../../app/api/parsers.js';
import { GuidedError } from '../../app/errors/guided-error.js';
import { parseLocalOptions } from '../../app/drivers/local/options.js';
import { assertVolumeName } from '../../app/api/names.js';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return (e as GuidedError).code;
  }
  return 'no error';
};

describe('volume names', () => {
  it.each(['a', 'data', 'my-vol_1.2', 'A9'])('accepts %s', (n) => expect(() => assertVolumeName(n)).not.toThrow());
  it.each(['', '-x', '.hidden', 'a/b', '../etc', 'a b', '$(id)', '`id`', "a'b", 'a;b', 'a\nb', 'x'.repeat(129)])('rejects %j', (n) =>
    expect(code(() => assertVolumeName(n))).toBe('INVALID_NAME'),
  );
  it('says which character is wrong', () => expect(() => assertVolumeName('ab$c')).toThrow(/character "\$" is not allowed/));
});

describe('local options', () => {
  it('passes tmpfs size, uid and gid to mount (podman 4.3 wrongly rejects size)', () => {
    const s = parseLocalOptions({ type: 'tmpfs', size: '64m', uid: '1000', gid: '1000', o: 'mode=1777' });
    expect(s).toMatchObject({ kind: 'tmpfs', device: 'tmpfs', type: 'tmpfs', mountOptions: ['mode=1777', 'size=64m', 'uid=1000', 'gid=1000'] });
  });
  it('treats a volume without mount options as a plain directory', () => {
    expect(parseLocalOptions({})).toMatchObject({ kind: 'directory', needsMount: false });
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

describe('the API contract', () => {
  it('rejects requests of the wrong shape before they reach the engine', () => {
    expect(code(() => parsers['volume.create']({ name: 1 }))).toBe('INVALID_REQUEST');
    expect(code(() => parsers['volume.create']({ name: 'a', options: { size: 5 } }))).toBe('INVALID_REQUEST');
    expect(code(() => parsers['volume.mount']({ names: [] }))).toBe('INVALID_REQUEST');
    expect(code(() => parsers['volume.unmount']({ names: ['a'], force: 'yes' }))).toBe('INVALID_REQUEST');
    expect(code(() => parsers['volume.list']({ filters: { colour: ['x'] } }))).toBe('INVALID_REQUEST');
    expect(code(() => parsers['volume.prune']({ extra: true }))).toBe('INVALID_REQUEST');
  });
  it('passes well-formed requests through unchanged', () => {
    expect(parsers['volume.list']({ filters: { mounted: true, label: ['a=b'] } })).toEqual({ filters: { mounted: true, label: ['a=b'], name: undefined, driver: undefined, dangling: undefined } });
  });
});
