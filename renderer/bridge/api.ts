// The page's one way to the engine: whichever bridge the host gave, with envelopes turned
// back into values or thrown guided errors.

import { BRIDGE_GLOBAL, type VolumeManagerBridge } from '../../app/api/bridge.js';
import type { Operation, RequestOf, ResponseOf } from '../../app/api/contract.js';
import { hostUnreachable } from '../../app/errors/page-errors.js';
import type { GuidedErrorData } from '../../app/errors/guided-error.js';
import { createHttpBridge } from './http-bridge.js';

export class ApiError extends Error {
  constructor(readonly data: GuidedErrorData) {
    super(data.title);
  }
}

const fromPreload = (globalThis as unknown as Record<string, VolumeManagerBridge | undefined>)[BRIDGE_GLOBAL];
export const bridge: VolumeManagerBridge = fromPreload ?? createHttpBridge();

/** The machine the window shows: '' for this computer, else a connection's name (store/machines.ts sets it). */
let machine = '';
export const setMachine = (name: string) => {
  machine = name;
};
export const currentMachine = () => machine;

/** Calls `op` on the machine the window shows. */
export async function call<K extends Operation>(op: K, request: RequestOf<K>): Promise<ResponseOf<K>> {
  const env = await (bridge.calls[op] as (r: RequestOf<K>, m?: string) => ReturnType<VolumeManagerBridge['calls'][K]>)(request, machine || undefined);
  if (!env.ok) throw new ApiError(env.error);
  return env.value as ResponseOf<K>;
}

export function asGuided(err: unknown): GuidedErrorData {
  if (err instanceof ApiError) return err.data;
  return hostUnreachable(String(err)).toJSON();
}

/** Calls `op` of this computer's host, whichever machine the window shows (adding a machine, trusting its key). */
export async function callHere<K extends Operation>(op: K, request: RequestOf<K>): Promise<ResponseOf<K>> {
  const env = await (bridge.calls[op] as (r: RequestOf<K>) => ReturnType<VolumeManagerBridge['calls'][K]>)(request);
  if (!env.ok) throw new ApiError(env.error);
  return env.value as ResponseOf<K>;
}
