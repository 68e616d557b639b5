// The command line as podman users drive it: output shapes, exit codes, guided errors.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { needsRoot } from '../helpers/env.js';
import { mountsUnder, suiteStateDir } from '../helpers/fixtures.js';

needsRoot()('the command line', () => {
  const t = suiteStateDir({ beforeAll, afterAll });

  it('creates, inspects, lists, mounts, unmounts and removes with podman\'s verbs', () => {
    expect(cli(t.state, ['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'size=8m', '--label', 'team=db', 'cache'])).toMatchObject({ code: 0, stdout: 'cache\n' });
    const [inspected] = JSON.parse(cli(t.state, ['volume', 'inspect', 'cache']).stdout);
    expect(Object.keys(inspected)).toEqual(expect.arrayContaining(['Name', 'Driver', 'Mountpoint', 'CreatedAt', 'Labels', 'Options', 'MountCount', 'Mounted']));
    expect(inspected).toMatchObject({ Name: 'cache', Driver: 'local', Labels: { team: 'db' }, Options: { type: 'tmpfs', size: '8m' }, MountCount: 0, Mounted: false });

    const mp = cli(t.state, ['volume', 'mount', 'cache']);
    expect(mp).toMatchObject({ code: 0, stdout: `${inspected.Mountpoint}\n` });
    expect(mountsUnder(t.dir).map((m) => m.mountpoint)).toEqual([inspected.Mountpoint]);
    // podman's columns by default; this app's own through a template.
    expect(cli(t.state, ['volume', 'ls']).stdout).toBe('DRIVER      VOLUME NAME\nlocal       cache\n');
    expect(cli(t.state, ['volume', 'ls', '--format', 'table {{.Name}}\\t{{.Mounted}}\\t{{.MountCount}}\\t{{.Kind}}']).stdout).toBe('VOLUME NAME  MOUNTED     MOUNT COUNT  KIND\ncache        true        1            tmpfs\n');
    expect(cli(t.state, ['volume', 'ls', '-q', '--filter', 'mounted=false']).stdout).toBe('');
    expect(cli(t.state, ['volume', 'ls', '-q', '--filter', 'label=team=db']).stdout).toBe('cache\n');

    const rm = cli(t.state, ['volume', 'rm', 'cache']);
    expect(rm.code).toBe(2);
    expect(rm.stderr.split('\n')[0]).toBe('Error: volume cache is being used: it is mounted 1 time(s): volume is being used');
    expect(rm.stderr).toContain('The volume is in use');
    expect(rm.stderr).toContain('$ volume-manager volume unmount cache');

    expect(cli(t.state, ['volume', 'unmount', 'cache']).code).toBe(0);
    expect(mountsUnder(t.dir)).toHaveLength(0);
    expect(cli(t.state, ['volume', 'rm', 'cache']).code).toBe(0);
    expect(JSON.parse(cli(t.state, ['volume', 'ls', '--format', 'json']).stdout)).toEqual([]);
  });

  it('prints guided errors on stderr with exit code 125', () => {
    const r = cli(t.state, ['volume', 'create', '--opt', 'colour=red', 'x']);
    expect(r.code).toBe(125);
    expect(r.stderr).toContain("invalid mount option colour for driver 'local'");
    expect(r.stderr).toMatch(/To fix it:\n {2}1\. /);
    expect(cli(t.state, ['volume', 'inspect', 'nope']).stderr).toContain('[VOLUME_NOT_FOUND]');
    expect(cli(t.state, ['volume', 'frobnicate']).code).toBe(125);
  });

  it('asks on standard input before pruning, naming what goes, as podman does; --force does not ask', () => {
    cli(t.state, ['volume', 'create', 'old']);
    const question = 'WARNING! This will remove all volumes not used by at least one container. The following volumes will be removed:\nold\nAre you sure you want to continue? [y/N] ';
    expect(cli(t.state, ['volume', 'prune'], { input: 'N\n' })).toMatchObject({ code: 0, stdout: question });
    expect(cli(t.state, ['volume', 'prune'])).toMatchObject({ code: 0, stdout: question });
    expect(cli(t.state, ['volume', 'ls', '-q']).stdout).toBe('old\n');
    expect(cli(t.state, ['volume', 'prune'], { input: 'y\n' })).toMatchObject({ code: 0, stdout: `${question}old\n` });
    cli(t.state, ['volume', 'create', 'old']);
    expect(cli(t.state, ['volume', 'prune', '--force']).stdout).toBe('old\n');
  });

  it('lists the drivers', () => {
    const drivers = JSON.parse(cli(t.state, ['driver', 'ls', '--format', 'json']).stdout);
    expect(drivers[0]).toMatchObject({ Name: 'local', Answers: true });
  });
});
