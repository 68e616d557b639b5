// The Docker volume plugin protocol served over the engine: each call of
// app/plugin-client/protocol.ts's PluginCalls, from the request body a container engine sent to
// the body it gets back. Every body is hostile until checked: a name is a volume name, an ID a
// holder ID, options a map of strings, as `volume create --opt` checks them. A refusal is a
// guided error, which the server (http.ts) sends as the protocol's Err.

import type { PluginCall, PluginCalls, PluginVolume } from '../../../app/plugin-client/protocol.js';
import type { VolumeInspect } from '../../../app/api/types.js';
import { invalidRequest, volumeNotFound } from '../../../app/errors/catalogue.js';
import { assertVolumeName } from '../../../app/api/names.js';
import { GuidedError, type GuidedErrorData } from '../../../app/errors/guided-error.js';
import type { VolumeEngine } from '../../../app/volume/engine.js';

/** What a call is given besides its body: whether the engine that asked has hung up since. */
export interface CallContext {
  gone(): boolean;
}

export type Endpoint<K extends PluginCall> = (body: Record<string, unknown>, ctx: CallContext) => Promise<PluginCalls[K][1]>;
export type Endpoints = { [K in PluginCall]: Endpoint<K> };

/** Errors that come from asking for root: a container engine's timeout may be what ended the prompt. */
const ELEVATION_CODES = new Set(['ELEVATION_DENIED', 'NO_POLKIT_AGENT', 'NOT_ROOT_NO_ELEVATION']);

/** A guided error as the one line a container engine prints: what happened, why, and the steps. */
export function errText(e: GuidedErrorData): string {
  const steps = e.steps.map((s, i) => `${i + 1}. ${s.text}${s.command ? ` ${s.command}` : ''}`).join(' ');
  return `${e.title}: ${e.happened}. ${e.why}${steps ? ` ${steps}` : ''}`;
}

function field(body: Record<string, unknown>, key: string): string {
  const v = body[key];
  if (typeof v !== 'string') throw invalidRequest(`${key} must be a string`);
  return v;
}

function stringMap(v: unknown, what: string): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw invalidRequest(`${what} must be an object of strings`);
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string') throw invalidRequest(`${what}.${k} must be a string`);
    out[k] = val;
  }
  return out;
}

/**
 * podman's `volume create` adds SIZE, INODES and NOQUOTA to the options it sends, copied out of
 * `o=` for its own quota code. They are dropped where `o=` says the same; any other is refused
 * with the rest of the options, as `volume create` refuses it.
 */
function withoutPodmanCopies(opts: Record<string, string>): Record<string, string> {
  const o = new Map((opts.o ?? '').split(',').map((kv) => [kv.split('=')[0]!.toLowerCase(), kv.includes('=') ? kv.slice(kv.indexOf('=') + 1) : 'true']));
  const copies: Record<string, string | undefined> = { SIZE: o.get('size'), INODES: o.get('inodes') ?? o.get('nr_inodes'), NOQUOTA: o.has('noquota') ? 'true' : undefined };
  const out = { ...opts };
  for (const [k, v] of Object.entries(copies)) if (v !== undefined && out[k] === v) delete out[k];
  return out;
}

/** Where a container may find the volume now: its mountpoint once mounted (always, for a plain directory). */
const usablePath = (v: VolumeInspect) => (v.Mounted || !v.NeedsMount ? v.Mountpoint : '');

function asPluginVolume(v: VolumeInspect): PluginVolume {
  const path = usablePath(v);
  return {
    Name: v.Name,
    ...(path ? { Mountpoint: path } : {}),
    CreatedAt: v.CreatedAt,
    Status: { Kind: v.Kind, Mounted: v.Mounted, MountCount: v.MountCount, ...(v.UsedBy ? { UsedBy: v.UsedBy.map((h) => `${h.Engine}:${h.ID.slice(0, 12)}`) } : {}) },
  };
}

/**
 * The protocol's calls over `engine`. A Mount that needs root asks for it as the window does;
 * one refused (or cut short by the container engine's volume_plugin_timeout) says how to do
 * without the prompt. A Mount whose caller hung up before it was answered gives its count back:
 * nobody will ever Unmount it.
 */
export function pluginEndpoints(engine: VolumeEngine): Endpoints {
  // What the list shows, not inspect: a container engine asking must not make us ask it back.
  const one = async (name: string) => {
    assertVolumeName(name);
    const [v] = await engine.listOf([name]);
    if (!v) throw volumeNotFound(name);
    return v;
  };
  return {
    'Plugin.Activate': async () => ({ Implements: ['VolumeDriver'] }),
    'VolumeDriver.Capabilities': async () => ({ Capabilities: { Scope: 'local' } }),

    async 'VolumeDriver.Create'(body) {
      await engine.create({ name: field(body, 'Name'), options: withoutPodmanCopies(stringMap(body.Opts, 'Opts')) });
      return {};
    },

    async 'VolumeDriver.Remove'(body) {
      const [r] = await engine.remove([field(body, 'Name')], false);
      if (!r!.ok) throw new GuidedError(r!.error!);
      return {};
    },

    async 'VolumeDriver.Get'(body) {
      return { Volume: asPluginVolume(await one(field(body, 'Name'))) };
    },

    async 'VolumeDriver.List'() {
      return { Volumes: (await engine.list()).map((v) => ({ Name: v.Name, ...(usablePath(v) ? { Mountpoint: usablePath(v) } : {}) })) };
    },

    async 'VolumeDriver.Path'(body) {
      return { Mountpoint: usablePath(await one(field(body, 'Name'))) };
    },

    async 'VolumeDriver.Mount'(body, ctx) {
      const name = field(body, 'Name');
      const id = field(body, 'ID');
      let held;
      try {
        held = await engine.hold(name, id);
      } catch (err) {
        if (err instanceof GuidedError && ELEVATION_CODES.has(err.code)) throw withoutPrompt(err, name);
        throw err;
      }
      if (ctx.gone()) {
        await engine.release(name, id).catch(() => undefined);
        throw invalidRequest(`the caller hung up before ${name} was mounted; its mount was given back`);
      }
      return { Mountpoint: held.Mountpoint };
    },

    async 'VolumeDriver.Unmount'(body) {
      await engine.release(field(body, 'Name'), field(body, 'ID'));
      return {};
    },
  };
}

function withoutPrompt(err: GuidedError, name: string): GuidedError {
  return new GuidedError({
    ...err.toJSON(),
    steps: [
      ...err.steps,
      { text: `Or mount ${name} in Volume Manager first (its window or: volume-manager volume mount ${name}); a container then only counts it and nothing asks for a password.` },
      { text: 'If the password prompt needs more time than the container engine waits, raise volume_plugin_timeout (seconds) under [engine] in containers.conf.' },
    ],
  });
}
