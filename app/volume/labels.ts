import { invalidOption } from '../errors/catalogue.js';

const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9_.\/-]*$/;
// Labels are data only (never passed to a command), but control characters would
// corrupt terminal output and JSON consumers, so they are refused.
const CONTROL = /[\u0000-\u001f\u007f]/;

export function validateLabels(labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels)) {
    if (!LABEL_KEY.test(key) || key.length > 253) throw invalidOption(`invalid label key ${JSON.stringify(key)}`, 'Label keys are letters, digits, "_", ".", "/" and "-".');
    if (typeof value !== 'string' || CONTROL.test(value) || value.length > 4096) {
      throw invalidOption(`invalid value for label ${key}: control characters or over 4096 characters`);
    }
    out[key] = value;
  }
  return out;
}

/** Parses `k=v` pairs from a command line; a bare `k` means an empty value, as podman does. */
export function parsePairs(pairs: string[], what: 'label' | 'opt'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    if (!key) throw invalidOption(`invalid --${what} ${JSON.stringify(pair)}: expected key=value`);
    out[key] = eq < 0 ? '' : pair.slice(eq + 1);
  }
  return out;
}
