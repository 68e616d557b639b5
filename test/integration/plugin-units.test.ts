// `plugin enable` and `disable` as the user vmtest: the systemd user units written where systemd
// reads them, checked by systemd-analyze, and the service's own ExecStart run under
// systemd-socket-activate, which hands over a listening socket exactly as systemd does. No
// user manager runs on these machines, so enabling them in systemd itself is the one step not
// taken here; the command says so and how.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { describeIf, hasCommand, isRoot } from '../helpers/env.js';
import { tempDir } from '../helpers/fixtures.js';
import { call } from '../helpers/plugin-server.js';
import { USER, userSandbox, userUid } from '../helpers/polkit.js';

/** ExecStart's words, read as systemd reads the quoting plugin-units.ts writes. */
function execWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/"((?:[^"\\]|\\.)*)"/g)) words.push(m[1]!.replace(/\\(.)/g, '$1').replace(/%%/g, '%').replace(/\$\$/g, '$'));
  return words;
}

describeIf(isRoot && hasCommand('systemd-socket-activate') && hasCommand('systemd-analyze') && spawnSync('id', [USER]).status === 0, 'root, systemd (systemd-socket-activate, systemd-analyze) and the user vmtest (test/setup/provision.sh)')(
  'the plugin server as systemd user units',
  () => {
    let t: ReturnType<typeof tempDir>;
    let sandbox: ReturnType<typeof userSandbox>;
    let config: string;
    let runtime: string;
    let activator: ChildProcess | undefined;
    const env = () => ({ XDG_CONFIG_HOME: config, XDG_RUNTIME_DIR: runtime });
    const run = (...args: string[]) => cli(sandbox.state, args, { user: USER, cliPath: sandbox.userCli, env: env() });
    const unitDir = () => join(config, 'systemd', 'user');

    beforeAll(() => {
      t = tempDir('vm-units-');
      sandbox = userSandbox(t);
      config = join(t.dir, 'config');
      runtime = join(t.dir, 'run');
      for (const d of [config, runtime]) {
        mkdirSync(d, { mode: 0o700 });
        chownSync(d, userUid(), userUid());
      }
    });
    afterAll(async () => {
      if (activator && activator.exitCode === null) {
        const exited = new Promise((r) => activator!.once('exit', r));
        spawnSync('pkill', ['-TERM', '-P', String(activator.pid)]);
        activator.kill('SIGTERM');
        await exited;
      }
      t?.cleanup();
    });

    it('writes a socket and a service systemd accepts, and says how to enable them where systemd did not answer', () => {
      const socket = join(runtime, 'volume-manager', 'plugin.sock');
      const r = run('plugin', 'enable');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`volume-manager = "${socket}"`);
      expect(r.stderr).toContain('systemctl --user enable --now volume-manager-plugin.socket');
      const service = readFileSync(join(unitDir(), 'volume-manager-plugin.service'), 'utf8');
      expect(readFileSync(join(unitDir(), 'volume-manager-plugin.socket'), 'utf8')).toContain(`ListenStream=${socket}\n`);
      expect(execWords(service.split('\n').find((l) => l.startsWith('ExecStart='))!)).toEqual([process.execPath, sandbox.userCli, '--state-dir', sandbox.state, 'plugin', 'serve', '--socket', socket]);
      const verified = spawnSync('systemd-analyze', ['verify', join(unitDir(), 'volume-manager-plugin.socket'), join(unitDir(), 'volume-manager-plugin.service')], { encoding: 'utf8' });
      expect(verified.stderr).toBe('');
      expect(verified.status).toBe(0);
    });

    it('serves on the socket systemd hands over, and leaves that socket to systemd when it stops', async () => {
      const service = readFileSync(join(unitDir(), 'volume-manager-plugin.service'), 'utf8');
      const words = execWords(service.split('\n').find((l) => l.startsWith('ExecStart='))!);
      const socket = words.at(-1)!;
      mkdirSync(join(runtime, 'volume-manager'), { mode: 0o700 });
      chownSync(join(runtime, 'volume-manager'), userUid(), userUid());
      activator = spawn('runuser', ['-u', USER, '--', 'env', `XDG_RUNTIME_DIR=${runtime}`, 'systemd-socket-activate', '-l', socket, '--', ...words], { stdio: ['ignore', 'pipe', 'pipe'], cwd: '/' });
      let log = '';
      activator.stderr!.on('data', (d) => (log += d));
      for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 50));
      expect(lstatSync(socket).isSocket()).toBe(true);
      // The first connection starts the server, which answers on the descriptor it was given.
      expect(await call(socket, 'Plugin.Activate')).toEqual({ status: 200, body: { Implements: ['VolumeDriver'] } });
      expect(await call(socket, 'VolumeDriver.Create', { Name: 'on-demand', Opts: {} })).toEqual({ status: 200, body: {} });
      expect(JSON.parse(readFileSync(join(sandbox.state, 'volumes.json'), 'utf8')).volumes['on-demand']).toMatchObject({ driver: 'local' });
      expect(log).toContain('Execing');
      const server = spawnSync('pgrep', ['-u', USER, '-f', 'plugin serve --socket'], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
      spawnSync('kill', ['-TERM', server!]);
      for (let i = 0; i < 50 && spawnSync('kill', ['-0', server!]).status === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(existsSync(socket)).toBe(true);
    });

    it('removes its own units on disable, and never a file it did not write', () => {
      const r = run('plugin', 'disable');
      expect(r.code).toBe(0);
      expect(existsSync(join(unitDir(), 'volume-manager-plugin.socket'))).toBe(false);
      expect(existsSync(join(unitDir(), 'volume-manager-plugin.service'))).toBe(false);
      writeFileSync(join(unitDir(), 'volume-manager-plugin.service'), '[Service]\nExecStart=/bin/true\n');
      chownSync(join(unitDir(), 'volume-manager-plugin.service'), userUid(), userUid());
      const refused = run('plugin', 'enable');
      expect(refused.code).toBe(125);
      expect(refused.stderr).toContain('was not written by volume-manager; it was left as it is');
      expect(readFileSync(join(unitDir(), 'volume-manager-plugin.service'), 'utf8')).toBe('[Service]\nExecStart=/bin/true\n');
    });
  },
);
