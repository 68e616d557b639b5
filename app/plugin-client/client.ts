// A typed client for one plugin: each protocol call with its request and response shape,
// the response checked before use, and every failure turned into a guided error that
// names the plugin, the call and (where there is one) the volume.

import type { Agent } from 'node:http';
import { pluginError, pluginNotAnswering } from '../errors/catalogue.js';
import type { GuidedError } from '../errors/guided-error.js';
import { formatAddress, type PluginAddress } from './address.js';
import { PSEUDO_ID, type PluginCall, type PluginCalls, type PluginVolume } from './protocol.js';
import { TransportError } from './transport-error.js';

/** Keep-alive connection pools by address, shared by the clients of one registry. */
export type AgentPool = Map<string, Agent>;

type Req<K extends PluginCall> = PluginCalls[K][0];
type Res<K extends PluginCall> = PluginCalls[K][1];

export class PluginClient {
  constructor(
    readonly name: string,
    readonly address: PluginAddress,
    private readonly agents: AgentPool,
  ) {}

  get where(): string {
    return formatAddress(this.address);
  }

  /** One call; `volume` only makes the error messages name the volume. */
  async call<K extends PluginCall>(call: K, body: Req<K> | undefined, timeoutMs: number, volume?: string): Promise<Res<K>> {
    try {
      const { agentFor, post } = await import('./transport.js');
      let agent = this.agents.get(this.where);
      if (!agent) this.agents.set(this.where, (agent = agentFor(this.address)));
      return (await post(this.address, call, body, timeoutMs, agent)) as Res<K>;
    } catch (err) {
      throw this.guided(call, err, volume);
    }
  }

  guided(call: string, err: unknown, volume?: string): GuidedError {
    if (err instanceof TransportError) {
      if (err.reason === 'plugin') return pluginError(this.name, call, err.message, volume);
      const happened = err.reason === 'protocol' ? `${this.where} is not a volume plugin: ${err.message}` : `${this.where}: ${err.message}`;
      return pluginNotAnswering(this.name, this.where, happened, err.reason === 'timeout', volume);
    }
    return pluginNotAnswering(this.name, this.where, `${this.where}: ${(err as Error).message}`, false, volume);
  }

  private malformed(call: string, what: string, volume?: string): GuidedError {
    return this.guided(call, new TransportError('protocol', `POST /${call} answered without ${what}`), volume);
  }

  /** Docker sends no body with Activate; a volume plugin lists VolumeDriver in Implements. */
  async activate(timeoutMs: number): Promise<string[]> {
    const res = await this.call('Plugin.Activate', undefined, timeoutMs);
    const implementsList = Array.isArray(res.Implements) ? res.Implements.filter((x): x is string => typeof x === 'string') : undefined;
    if (!implementsList) throw this.malformed('Plugin.Activate', 'an "Implements" list');
    if (!implementsList.includes('VolumeDriver')) {
      throw this.guided('Plugin.Activate', new TransportError('protocol', `it implements ${JSON.stringify(implementsList)}, not VolumeDriver`));
    }
    return implementsList;
  }

  async capabilities(timeoutMs: number): Promise<'local' | 'global'> {
    // Capabilities is optional in the protocol: a plugin without it is local-scoped.
    const res = await this.call('VolumeDriver.Capabilities', {}, timeoutMs).catch(() => ({ Capabilities: undefined }));
    return res.Capabilities?.Scope === 'global' ? 'global' : 'local';
  }

  async create(name: string, opts: Record<string, string>, timeoutMs: number): Promise<void> {
    await this.call('VolumeDriver.Create', { Name: name, Opts: opts }, timeoutMs, name);
  }

  async remove(name: string, timeoutMs: number): Promise<void> {
    await this.call('VolumeDriver.Remove', { Name: name }, timeoutMs, name);
  }

  async mount(name: string, timeoutMs: number): Promise<string> {
    const res = await this.call('VolumeDriver.Mount', { Name: name, ID: PSEUDO_ID }, timeoutMs, name);
    if (typeof res.Mountpoint !== 'string' || res.Mountpoint === '') throw this.malformed('VolumeDriver.Mount', 'a "Mountpoint"', name);
    return res.Mountpoint;
  }

  async unmount(name: string, timeoutMs: number): Promise<void> {
    await this.call('VolumeDriver.Unmount', { Name: name, ID: PSEUDO_ID }, timeoutMs, name);
  }


  async get(name: string, timeoutMs: number): Promise<PluginVolume> {
    const res = await this.call('VolumeDriver.Get', { Name: name }, timeoutMs, name);
    if (typeof res.Volume !== 'object' || res.Volume === null || typeof res.Volume.Name !== 'string') throw this.malformed('VolumeDriver.Get', 'a "Volume"', name);
    return res.Volume;
  }

  async list(timeoutMs: number): Promise<PluginVolume[]> {
    const volumes: unknown = (await this.call('VolumeDriver.List', {}, timeoutMs)).Volumes;
    // Go plugins encode an empty list as null.
    if (volumes === null || volumes === undefined) return [];
    if (!Array.isArray(volumes)) throw this.malformed('VolumeDriver.List', 'a "Volumes" list');
    return volumes.filter((v): v is PluginVolume => typeof v === 'object' && v !== null && typeof (v as PluginVolume).Name === 'string');
  }
}
