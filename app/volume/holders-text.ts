// Who holds a volume's mounts through the plugin server, in words for messages: podman sends
// one pseudo ID for all its containers (it counts them itself), Docker one ID per mount.

import { PSEUDO_ID } from '../plugin-client/protocol.js';

/** The holder `id` as a person reads it. */
export const holderText = (id: string) => (id === PSEUDO_ID ? "podman's containers" : `Docker mount ${id.slice(0, 12)}`);

/** Every holder of `holders`, with the mounts each holds where more than one. */
export function holdersText(holders: Readonly<Record<string, number>>): string {
  return Object.entries(holders)
    .map(([id, n]) => `${holderText(id)}${n > 1 ? ` (${n} mounts)` : ''}`)
    .join(', ');
}
