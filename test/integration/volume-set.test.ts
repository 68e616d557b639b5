// Changing a volume without removing it (`volume set`, the window's Edit in Details): its mount
// options, with the very checks create makes, while nothing holds it; its labels at any time.
// What a change cannot be (another type, a plain directory's owner, a plugin's options) is
// refused with a guided error and changes nothing.

import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { needsRoot } from '../helpers/env.js';
import { suiteStateDir } from '../helpers/fixtures.js';

needsRoot()('volume set: options and labels', () => {
  const t = suiteStateDir({ beforeAll, afterAll });
  const inspect = (name: string) => JSON.parse(cli(t.state, ['volume', 'inspect', name]).stdout)[0];

  it('changes a tmpfs size and its labels, and the next mount uses them', () => {
    expect(cli(t.state, ['volume', 'create', '--opt', 'type=tmpfs', '--opt', 'size=8m', '--label', 'team=db', 'grow'])).toMatchObject({ code: 0 });
    expect(cli(t.state, ['volume', 'set', '--opt', 'type=tmpfs', '--opt', 'size=16m', '--label', 'team=web', '--label', 'tier', 'grow'])).toMatchObject({ code: 0 });
    expect(inspect('grow')).toMatchObject({ Options: { type: 'tmpfs', size: '16m' }, Labels: { team: 'web', tier: '' } });
    const mp = cli(t.state, ['volume', 'mount', 'grow']).stdout.trim();
    expect(spawnSync('findmnt', ['-no', 'OPTIONS', mp], { encoding: 'utf8' }).stdout).toContain('size=16384k');
    // Labels change while it is mounted; options do not.
    expect(cli(t.state, ['volume', 'set', '--label', 'team=ops', 'grow'])).toMatchObject({ code: 0 });
    const held = cli(t.state, ['volume', 'set', '--opt', 'type=tmpfs', '--opt', 'size=32m', 'grow']);
    expect(held.code).toBe(125);
    expect(held.stderr).toContain('[VOLUME_IN_USE]');
    expect(inspect('grow')).toMatchObject({ Options: { size: '16m' }, Labels: { team: 'ops' } });
    expect(cli(t.state, ['volume', 'unmount', 'grow']).code).toBe(0);
  });

  it("refuses what create would refuse, another type, a plain directory's options, and nothing to change", () => {
    const before = inspect('grow');
    const bad = cli(t.state, ['volume', 'set', '--opt', 'type=tmpfs', '--opt', 'o=x;y', 'grow']);
    expect(bad.code).toBe(125);
    expect(bad.stderr).toContain('[INVALID_OPTION]');
    const retype = cli(t.state, ['volume', 'set', '--opt', 'type=nfs', '--opt', 'device=127.0.0.1:/srv', '--opt', 'o=addr=127.0.0.1', 'grow']);
    expect(retype.code).toBe(125);
    expect(retype.stderr).toContain('a tmpfs volume stays a tmpfs volume');
    expect(cli(t.state, ['volume', 'create', 'plain'])).toMatchObject({ code: 0 });
    const owner = cli(t.state, ['volume', 'set', '--opt', 'o=uid=1000', 'plain']);
    expect(owner.code).toBe(125);
    expect(owner.stderr).toContain('plain directory');
    expect(cli(t.state, ['volume', 'set', 'grow']).code).toBe(125);
    expect(cli(t.state, ['volume', 'set', '--opt', 'type=tmpfs', 'missing']).code).toBe(125);
    expect(inspect('grow')).toEqual(before);
  });
});
