// The plugin server as a window offers it: served from the window's own process while it is
// open (Electron's main process, or the browser host), where nothing else serves already, and
// the line that points podman at it written into the person's containers.conf once they saw it.
// When the window closes, its server stops; `plugin serve` or the systemd user unit serve then.

import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ConfChange, ContainerServing } from '../../../app/api/types.js';
import { invalidRequest } from '../../../app/errors/catalogue.js';
import { toGuided } from '../../../app/errors/guided-error.js';
import type { ServingControl } from '../../../app/handlers/serving.js';
import type { VolumeEngine } from '../../../app/volume/engine.js';
import { configuredSocket, withPluginLine } from './conf-edit.js';
import { podmanLines, startPluginServer, type RunningPluginServer } from './serve.js';
import { answers, defaultSocket } from './socket.js';

/** The containers.conf podman reads for this user that the window may add to: CONTAINERS_CONF's, else the user's or root's own. */
export function containersConfPath(env: NodeJS.ProcessEnv = process.env, uid = process.getuid?.() ?? 0): string {
  if (env.CONTAINERS_CONF) return env.CONTAINERS_CONF;
  if (uid === 0) return '/etc/containers/containers.conf';
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'containers', 'containers.conf');
}

const readText = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : '');

export class WindowServing implements ServingControl {
  private running: RunningPluginServer | undefined;
  private starting: Promise<void> | undefined;

  constructor(
    private readonly engine: VolumeEngine,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  private socket(): string {
    return defaultSocket(this.env);
  }

  async status(): Promise<ContainerServing> {
    let socket: string;
    try {
      socket = this.socket();
    } catch (err) {
      return { State: 'none', Socket: '', PodmanLines: '', ContainersConf: { Path: containersConfPath(this.env), Configured: false }, DockerFinds: false, Error: toGuided(err).toJSON() };
    }
    const path = containersConfPath(this.env);
    let configured = false;
    let problem: string | undefined;
    try {
      configured = configuredSocket(readText(path)) === socket;
    } catch (err) {
      problem = `${path} does not parse: ${(err as Error).message.split('\n')[0]}`;
    }
    const state = this.running ? 'window' : (await answers(socket)) ? 'other' : 'none';
    return { State: state, Socket: socket, PodmanLines: podmanLines(socket), ContainersConf: { Path: path, Configured: configured, ...(problem ? { Problem: problem } : {}) }, DockerFinds: socket.startsWith('/run/docker/plugins/'), };
  }

  async serve(): Promise<ContainerServing> {
    if (!this.running) {
      this.starting ??= startPluginServer(this.engine, this.socket())
        .then((r) => {
          this.running = r;
        })
        .finally(() => {
          this.starting = undefined;
        });
      await this.starting;
    }
    return this.status();
  }

  async confChange(): Promise<ConfChange> {
    const path = containersConfPath(this.env);
    const before = readText(path);
    return { Path: path, Before: before, After: withPluginLine(before, this.socket()) };
  }

  /** Replaces the file in one rename, with its mode kept, and only if it still holds `before`. */
  async confWrite(before: string): Promise<{ Path: string }> {
    const path = containersConfPath(this.env);
    if (readText(path) !== before) throw invalidRequest(`${path} changed since it was shown; nothing was written. Look at the change again.`);
    const after = withPluginLine(before, this.socket());
    mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
    const mode = existsSync(path) ? statSync(path).mode & 0o777 : 0o644;
    const tmp = `${path}.volume-manager-${process.pid}-${Date.now()}`;
    writeFileSync(tmp, after, { mode, flag: 'wx' });
    renameSync(tmp, path);
    return { Path: path };
  }

  /** Stops serving (the window closes); the mounts stay as the counter says. */
  async close(): Promise<void> {
    await this.starting?.catch(() => undefined);
    await this.running?.close();
    this.running = undefined;
  }
}
