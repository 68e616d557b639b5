import { describe, expect, it } from 'vitest';
import { emptyFields, toCreateRequest, type FormFields } from './create-request.js';

const form = (patch: Partial<FormFields>): FormFields => ({ ...emptyFields(), name: ' v ', ...patch });

describe('the create form as a create request', () => {
  it('tmpfs: size, owner and mode, nothing empty', () => {
    expect(toCreateRequest(form({ type: 'tmpfs', size: '64m', uid: '1000', mode: '0700', extraOptions: 'noexec' }))).toEqual({ name: 'v', options: { type: 'tmpfs', size: '64m', uid: '1000', o: 'mode=0700,noexec' } });
    expect(toCreateRequest(form({ type: 'tmpfs' }))).toEqual({ name: 'v', options: { type: 'tmpfs' } });
  });

  it('labels, one key=value per line, as --label takes them; a key alone has an empty value', () => {
    expect(toCreateRequest(form({ type: 'directory', labels: 'team=db\n\n owner = me \nscratch' }))).toEqual({ name: 'v', options: {}, labels: { team: 'db', owner: 'me', scratch: '' } });
  });

  it('NFS: server:export, addr= and the version', () => {
    expect(toCreateRequest(form({ type: 'nfs', server: 'nas', exportPath: '/srv', readOnly: true }))).toEqual({ name: 'v', options: { type: 'nfs', device: 'nas:/srv', o: 'addr=nas,nfsvers=4.2,ro' } });
  });

  it('bind and device: the source, read-only as ro', () => {
    expect(toCreateRequest(form({ type: 'bind', source: ' /srv/data ', readOnly: true }))).toEqual({ name: 'v', options: { type: 'bind', device: '/srv/data', o: 'ro' } });
    expect(toCreateRequest(form({ type: 'device', source: '/img', fsType: 'ext4' }))).toEqual({ name: 'v', options: { type: 'ext4', device: '/img' } });
  });

  it('plugin: one key=value per line, blank lines skipped, and the driver', () => {
    expect(toCreateRequest(form({ type: 'plugin', driver: 'p', pluginOptions: 'a=1\n\n o=timeout=30 \nflag' }))).toEqual({ name: 'v', driver: 'p', options: { a: '1', o: 'timeout=30', flag: '' } });
  });

  it('plain directory: only an owner', () => {
    expect(toCreateRequest(form({ type: 'directory', uid: '1', gid: '2' }))).toEqual({ name: 'v', options: { uid: '1', gid: '2' } });
  });
});
