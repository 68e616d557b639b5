import { invalidName } from '../errors/catalogue.js';

/** podman's volume name pattern; the name becomes one path segment under the state directory. */
const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const MAX_NAME = 128;

/** Throws INVALID_NAME unless `name` is a string podman would also accept, of sane length. */
export function assertVolumeName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0) throw invalidName(String(name ?? ''), 'a name is required');
  if (name.length > MAX_NAME) throw invalidName(name, `longer than ${MAX_NAME} characters`);
  if (!NAME.test(name)) {
    const bad = [...name].find((c, i) => !(i === 0 ? /[a-zA-Z0-9]/ : /[a-zA-Z0-9_.-]/).test(c));
    throw invalidName(name, bad === undefined ? 'must match [a-zA-Z0-9][a-zA-Z0-9_.-]*' : `character ${JSON.stringify(bad)} is not allowed${name.indexOf(bad) === 0 ? ' at the start' : ''}`);
  }
}
