// The engine's view of the plugins: finds one by name, activates it once per process (as
// Docker does) and hands out its client with the timeout that applies. Activation is
// forgotten when a call fails, so a plugin restarted under the same socket is found again.

import type { DriverInfo } from '../api/types.js';
import { pluginMissing } from '../errors/catalogue.js';
import { toGuided } from '../errors/guided-error.js';
import { formatAddress } from './address.js';
import { PluginClient, type AgentPool } from './client.js';
import { discover, type Discovery, type PluginEntry } from './discovery.js';
import { searchedPlaces, type PluginLocations } from './locations.js';

export const DEFAULT_TIMEOUT_SEC = 5;

export interface PluginHandle {
  client: PluginClient;
  /** containers.conf's volume_plugin_timeout, else 5 s; a volume's own timeout overrides it. */
  defaultTimeoutMs: number;
}

export class PluginRegistry {
  private readonly agents: AgentPool = new Map();
  private readonly activated = new Set<string>();

  constructor(readonly locations: PluginLocations) {}

  discover(): Promise<Discovery> {
    return discover(this.locations);
  }

  private clientFor(entry: PluginEntry & { address: NonNullable<PluginEntry['address']> }): PluginClient {
    return new PluginClient(entry.name, entry.address, this.agents);
  }

  /** The plugin `driver`, activated; throws PLUGIN_MISSING or PLUGIN_NOT_ANSWERING. */
  async handle(driver: string, volume?: string): Promise<PluginHandle> {
    const found = await this.discover();
    const defaultTimeoutMs = (found.timeoutSec ?? DEFAULT_TIMEOUT_SEC) * 1000;
    const entry = found.entries.find((e) => e.name === driver);
    if (!entry) throw pluginMissing(driver, searchedPlaces(this.locations), volume);
    if (!entry.address) throw pluginMissing(driver, [entry.error ?? entry.source], volume);
    const client = this.clientFor({ ...entry, address: entry.address });
    if (!this.activated.has(client.where)) {
      await client.activate(defaultTimeoutMs);
      this.activated.add(client.where);
    }
    return { client, defaultTimeoutMs };
  }

  /** Forgets an activation after a failed call, so the next call activates again. */
  forget(client: PluginClient): void {
    this.activated.delete(client.where);
  }

  /** Every plugin found, each asked (in parallel) whether it answers and for its scope. */
  async describe(): Promise<DriverInfo[]> {
    const found = await this.discover();
    const timeoutMs = (found.timeoutSec ?? DEFAULT_TIMEOUT_SEC) * 1000;
    const rows = found.entries.map(async (entry): Promise<DriverInfo> => {
      const base = { Name: entry.name, Source: entry.source, ...(entry.address ? { Address: formatAddress(entry.address) } : {}) };
      if (!entry.address) return { ...base, Answers: false, Error: entry.error ?? 'no address' };
      const client = this.clientFor({ ...entry, address: entry.address });
      try {
        await client.activate(timeoutMs);
        this.activated.add(client.where);
        return { ...base, Answers: true, Scope: await client.capabilities(timeoutMs) };
      } catch (err) {
        return { ...base, Answers: false, Error: toGuided(err).happened };
      }
    });
    const problems = found.problems.map((p): DriverInfo => ({ Name: '-', Source: p.file, Answers: false, Error: p.error }));
    return [...(await Promise.all(rows)), ...problems];
  }

  /** Closes kept-alive connections; the app calls it on quit. */
  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}
