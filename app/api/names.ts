import { invalidName, invalidOption, invalidRequest } from '../errors/catalogue.js';
import { HOLDER_ID, MAX_NAME, NAME_PATTERN } from './option-shapes.js';

/** Throws INVALID_NAME unless `name` is a string podman would also accept, of sane length. */
export function assertVolumeName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0) throw invalidName(String(name ?? ''), 'a name is required');
  if (name.length > MAX_NAME) throw invalidName(name, `longer than ${MAX_NAME} characters`);
  if (!NAME_PATTERN.test(name)) {
    const bad = [...name].find((c, i) => !(i === 0 ? /[a-zA-Z0-9]/ : /[a-zA-Z0-9_.-]/).test(c));
    throw invalidName(name, bad === undefined ? 'must match [a-zA-Z0-9][a-zA-Z0-9_.-]*' : `character ${JSON.stringify(bad)} is not allowed${name.indexOf(bad) === 0 ? ' at the start' : ''}`);
  }
}

/** Driver names become file names in the plugin directories, so they follow the same rule. */
export function assertDriverName(driver: unknown): asserts driver is string {
  if (typeof driver !== 'string' || driver.length > MAX_NAME || !NAME_PATTERN.test(driver)) {
    throw invalidOption(`invalid volume driver ${JSON.stringify(driver)}: expected "local" or a plugin name matching [a-zA-Z0-9][a-zA-Z0-9_.-]*`, 'List the drivers that exist with: volume-manager driver ls');
  }
}

/** A holder's ID (a container engine's mount ID) is a key in the store: the shape of one, nothing else. */
export function assertHolder(id: unknown): asserts id is string {
  if (typeof id !== 'string' || !HOLDER_ID.test(id)) {
    throw invalidRequest(`invalid mount ID ${JSON.stringify(String(id ?? '')).slice(0, 80)}: expected 1 to 128 of [A-Za-z0-9_.-], starting with a letter or digit`);
  }
}
