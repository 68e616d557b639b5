// The command line against Debian's podman 4.3.1, side by side: each case runs the same
// arguments through `podman` (on a private store: CONTAINERS_CONF and CONTAINERS_STORAGE_CONF in
// this suite's own directory) and through `volume-manager` (on a store of its own), in the same
// order, and compares exit codes, standard output and the first line of standard error. Paths
// of the two stores and creation times are written the same way before comparing; what is
// deliberately different is listed in the README and checked apart, at the end.

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';
import { describeIf, hasCommand, isRoot } from '../helpers/env.js';
import { tempDir } from '../helpers/fixtures.js';

interface Run {
  code: number | null;
  stdout: string;
  err: string;
}

describeIf(isRoot && hasCommand('podman'), 'root and podman (test/setup/provision.sh)')('the command line beside podman 4.3.1', () => {
  let t: ReturnType<typeof tempDir>;
  let env: NodeJS.ProcessEnv;
  let state: string;
  const graph = () => join(t.dir, 'podman', 'graph');

  /** The two stores' paths as one, times as one, random names as one. */
  const same = (text: string) =>
    text
      .replaceAll(join(graph(), 'volumes'), 'VOLUMES')
      .replaceAll(join(state, 'volumes'), 'VOLUMES')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, 'TIME')
      .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? \+0000 UTC/g, 'TIME')
      .replace(/\b[0-9a-f]{64}\b/g, 'RANDOM');
  const done = (r: ReturnType<typeof spawnSync>): Run => ({ code: r.status, stdout: same(String(r.stdout)), err: same(String(r.stderr).split('\n')[0] ?? '') });
  const podman = (args: string[], input = '') => done(spawnSync('podman', args, { encoding: 'utf8', env: { ...process.env, ...env }, input, cwd: '/' }));
  const ours = (args: string[], input = '') => done(spawnSync(process.execPath, [CLI, '--state-dir', state, ...args], { encoding: 'utf8', env: { ...process.env, VOLUME_MANAGER_EXPLAIN: '0' }, input, cwd: '/' }));
  /** Runs `args` through both and returns both results, in the order podman then ours. */
  const both = (args: string[], input = '') => [podman(args, input), ours(args, input)] as const;
  /** The two agree on exit code, standard output and the first line of standard error. */
  const alike = (args: string[], input = '') => {
    const [p, o] = both(args, input);
    expect({ args, ...o }).toEqual({ args, ...p });
    return p;
  };

  beforeAll(() => {
    t = tempDir('vm-podman-cli-');
    mkdirSync(join(t.dir, 'podman'));
    const conf = join(t.dir, 'podman', 'containers.conf');
    const storage = join(t.dir, 'podman', 'storage.conf');
    writeFileSync(conf, `[engine]\nevents_logger = "file"\nevents_logfile_path = "${join(t.dir, 'podman', 'events.log')}"\n`);
    writeFileSync(storage, `[storage]\ndriver = "vfs"\ngraphroot = "${graph()}"\nrunroot = "${join(t.dir, 'podman', 'run')}"\n`);
    env = { CONTAINERS_CONF: conf, CONTAINERS_STORAGE_CONF: storage };
    state = join(t.dir, 'state');
  });
  afterAll(() => t?.cleanup());

  it('lists nothing, not even a header, when there is nothing', () => {
    alike(['volume', 'ls']);
    alike(['volume', 'ls', '--noheading']);
    alike(['volume', 'ls', '--format', 'json']);
  });

  it('creates with labels and options, and refuses a name taken', () => {
    alike(['volume', 'create', 'aa']);
    alike(['volume', 'create', '-l', 'a=1', '-l', 'b=2', 'bb']);
    alike(['volume', 'create', 'bb']);
    alike(['volume', 'create', '-o=type=tmpfs', '-o=device=tmpfs', 'tt']);
    alike(['volume', 'create', '-o', 'device=tmpfs', 'dv']);
    alike(['volume', 'create', '-o', 'nocopy', 'nc']);
    alike(['volume', 'create', '-o', 'noquota=true', 'nq']);
    alike(['volume', 'create']);
    // Each made a random name of its own; they would sort apart in every list that follows.
    for (const rm of [(a: string[]) => spawnSync('podman', a, { encoding: 'utf8', env: { ...process.env, ...env } }), (a: string[]) => spawnSync(process.execPath, [CLI, '--state-dir', state, ...a], { encoding: 'utf8' })]) {
      const random = rm(['volume', 'ls', '-q']).stdout.split('\n').filter((n) => /^[0-9a-f]{64}$/.test(n));
      expect(random).toHaveLength(1);
      expect(rm(['volume', 'rm', random[0]!]).status).toBe(0);
    }
    alike(['volume', 'create', 'a', 'b']);
    alike(['volume', 'inspect', '--format', '{{.Options}}', 'tt', 'dv', 'nc', 'nq']);
  });

  it('lists as podman lists: its columns, templates, tables, json, quiet, and the list alias', () => {
    alike(['volume', 'ls']);
    alike(['volume', 'ls', '--noheading']);
    alike(['volume', 'ls', '-q']);
    alike(['volume', 'list', '--quiet']);
    alike(['volume', 'ls', '--format', '{{.Name}}']);
    alike(['volume', 'ls', '--format', 'table {{.Driver}}\\t{{.Name}}']);
    alike(['volume', 'ls', '--format', 'table {{.Name}}\\t{{.MountCount}}\\t{{.Scope}}\\t{{.Mountpoint}}']);
    alike(['volume', 'ls', '--format', '{{.Name}}\\t{{.Driver}}|']);
    alike(['volume', 'ls', '--format', '{{range $k, $v := .Labels}}{{$k}}={{$v}};{{end}}']);
    alike(['volume', 'ls', '--format', '{{upper .Name}} {{.Labels.a}} {{json .Labels}} {{.Options}} {{len .Labels}}']);
    alike(['volume', 'ls', '--format', '{{.Name}} {{.CreatedAt}}']);
    const [p, o] = both(['volume', 'ls', '--format', 'json']);
    expect(JSON.parse(o.stdout).map(podmanKeysOf)).toEqual(JSON.parse(p.stdout));
    const [pj, oj] = both(['volume', 'ls', '--format', '{{json .}}']);
    expect(JSON.parse(oj.stdout).map(podmanKeysOf)).toEqual(JSON.parse(pj.stdout));
  });

  it('filters as podman does: name as a regular expression, label, opt, scope, until, and says which filter is wrong', () => {
    for (const f of ['name=b.', 'name=a', 'name=^t', 'label=a', 'label=a=1', 'label=b=9', 'opt=nocopy', 'opt=device=tmpfs', 'scope=local', 'scope=global', 'until=2000-01-01', 'until=1h', 'driver=local', 'dangling=true']) {
      alike(['volume', 'ls', '-q', '--filter', f]);
    }
    alike(['volume', 'ls', '--filter', 'bogus=1']);
    // Go's regexp and JavaScript's word their refusals differently; both refuse.
    const [p, o] = both(['volume', 'ls', '--filter', 'name=[']);
    expect([o.code, o.err.startsWith('Error: error parsing regexp: ')]).toEqual([p.code, true]);
  });

  it('inspects as podman does: its JSON, templates, --all, the found before the missing', () => {
    const [p, o] = both(['volume', 'inspect', 'bb']);
    expect(o.code).toBe(p.code);
    expect(JSON.parse(o.stdout).map(podmanKeysOf)).toEqual(JSON.parse(p.stdout));
    // The same text where podman's keys end: five-space indent, podman's order.
    expect(o.stdout.slice(0, o.stdout.indexOf('"MountCount"'))).toBe(p.stdout.slice(0, p.stdout.indexOf('"MountCount"')));
    alike(['volume', 'inspect', '--format', '{{.Mountpoint}}', 'aa']);
    alike(['volume', 'inspect', '-f', '{{.Labels.a}}|{{.Labels.zzz}}|{{.Labels}}|{{.MountCount}}|{{.NeedsCopyUp}}|{{.Scope}}|{{.UID}}', 'bb']);
    alike(['volume', 'inspect', '-f', '{{json .Labels}}', 'bb', 'aa']);
    alike(['volume', 'inspect', '--all', '--format', '{{.Name}}']);
    alike(['volume', 'inspect', '-a', '-f', '{{.Name}}']);
    const [pm, om] = both(['volume', 'inspect', 'aa', 'nope']);
    expect([om.code, om.err, JSON.parse(om.stdout).map(podmanKeysOf)]).toEqual([pm.code, pm.err, JSON.parse(pm.stdout)]);
    alike(['volume', 'inspect', 'nope']);
    alike(['volume', 'inspect']);
    // A field the volume has not: both refuse, each in its own words after "Error: ".
    const [pb, ob] = both(['volume', 'inspect', '-f', '{{.Bogus}}', 'aa']);
    expect([ob.code, /can't evaluate field Bogus/.test(ob.err)]).toEqual([pb.code, true]);
  });

  it('answers exists, rm and mount with podman\'s exit codes and words', () => {
    alike(['volume', 'exists', 'aa']);
    alike(['volume', 'exists', 'nope']);
    alike(['volume', 'exists', 'aa', 'bb']);
    alike(['volume', 'rm', 'nope']);
    alike(['volume', 'rm', '-f', 'nope']);
    alike(['volume', 'rm', '-t', '0', 'aa']);
    alike(['volume', 'rm']);
    alike(['volume', 'remove', 'nq']);
    alike(['volume', 'mount', 'aa', 'bb']);
    alike(['volume', 'mount']);
    alike(['volume', 'mount', 'nope']);
    alike(['volume', 'mount', 'aa']);
    // A plain directory is not mounted by mounting it: its count stays 0.
    alike(['volume', 'inspect', '--format', '{{.MountCount}}', 'aa']);
    alike(['volume', 'unmount', 'aa']);
    alike(['volume', 'unmount', 'aa', 'bb']);
  });

  it('prunes as podman does: the question lists what goes and reads standard input; --force does not ask', () => {
    alike(['volume', 'prune'], 'N\n');
    alike(['volume', 'prune', '--filter', 'label=a'], 'N\n');
    alike(['volume', 'prune', '--filter', 'label=a', '--force']);
    alike(['volume', 'ls', '-q']);
    alike(['volume', 'prune', '-f', '--filter', 'until=2000-01-01']);
    alike(['volume', 'prune', '-f']);
    alike(['volume', 'prune', '-f']);
  });

  it('exports as podman does: the same entries, named the same way', () => {
    alike(['volume', 'create', 'ex']);
    for (const root of [join(graph(), 'volumes', 'ex', '_data'), join(state, 'volumes', 'ex', '_data')]) {
      mkdirSync(join(root, 'sub'));
      writeFileSync(join(root, 'a.txt'), 'a');
      writeFileSync(join(root, 'sub', 'b'), 'b');
    }
    const files = [join(t.dir, 'p.tar'), join(t.dir, 'o.tar')];
    expect(podman(['volume', 'export', 'ex', '--output', files[0]!]).code).toBe(0);
    expect(ours(['volume', 'export', 'ex', '--output', files[1]!])).toMatchObject({ code: 0, stdout: '', err: '' });
    const [p, o] = files.map((f) => spawnSync('tar', ['-tf', f], { encoding: 'utf8' }).stdout.split('\n').sort());
    expect(o).toEqual(p);
    expect(readFileSync(files[1]!).length).toBeGreaterThan(0);
  });
});

/** podman's keys of one of our views, in podman's order: what podman prints of the same volume. */
function podmanKeysOf(v: Record<string, unknown>): Record<string, unknown> {
  const keys = ['Name', 'Driver', 'Mountpoint', 'CreatedAt', 'Status', 'Labels', 'Scope', 'Options', 'UID', 'GID', 'MountCount', 'NeedsCopyUp', 'NeedsChown', 'Timeout'];
  return Object.fromEntries(keys.filter((k) => k in v).map((k) => [k, v[k]]));
}
