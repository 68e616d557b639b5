import { describe, expect, it } from 'vitest';
import { emptyFields, type FormFields } from './create-request.js';
import { fieldProblems } from './field-checks.js';

const form = (patch: Partial<FormFields>): FormFields => ({ ...emptyFields(), name: 'scratch', ...patch });

describe('the create form speaks of the field that is wrong, in its own words', () => {
  it('has nothing to say of a valid tmpfs, an empty size included (the stated default)', () => {
    expect(fieldProblems(form({ size: '', mode: '1777', uid: '1000', gid: '0' }))).toEqual({});
  });

  it('checks mode, size, UID and GID as typed, each on its own field', () => {
    const p = fieldProblems(form({ mode: 'abc', size: '64 MB', uid: '-1', gid: 'staff' }));
    expect(Object.keys(p).sort()).toEqual(['gid', 'mode', 'size', 'uid']);
    expect(p.mode).toMatch(/octal permission/);
    expect(p.uid).toMatch(/^UID is a number/);
  });

  it('blames the name only for the name', () => {
    expect(fieldProblems(form({ name: '', type: 'bind' }))).toMatchObject({ name: 'Give the volume a name.' });
    expect(fieldProblems(form({ name: 'my vol' })).name).toMatch(/no spaces/);
    expect(fieldProblems(form({ name: 'x'.repeat(300) })).name).toMatch(/this one has 300/);
    expect(fieldProblems(form({ type: 'bind', source: '' }))).toEqual({ source: 'Choose the folder to bind: type its full path or browse to it.' });
  });

  it('takes an NFS export typed by hand, and asks for one that starts with /', () => {
    expect(fieldProblems(form({ type: 'nfs', server: 'nas.local', exportPath: '/srv/share' }))).toEqual({});
    expect(fieldProblems(form({ type: 'nfs', server: 'nas.local', exportPath: 'srv' })).exportPath).toMatch(/starts with \//);
    expect(fieldProblems(form({ type: 'nfs', server: 'nas.local:/srv', exportPath: '/srv' })).server).toMatch(/without a path/);
  });

  it('checks an SSH port and a plugin choice', () => {
    expect(fieldProblems(form({ type: 'ssh', sshHost: 'box', sshPort: '70000' })).sshPort).toMatch(/1 to 65535/);
    expect(fieldProblems(form({ type: 'plugin' })).driver).toMatch(/Choose the plugin/);
  });
});
