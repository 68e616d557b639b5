// Command-line parsing: podman's verbs and flags over node's own parser (no dependency, so
// that start-up stays close to bare Node's).

import { parseArgs } from 'node:util';
import { invalidRequest } from '../../app/errors/catalogue.js';

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

/** pflag's `-o=value` (podman's users write it so): node's parser would keep the `=`. */
const shortEquals = (argv: string[]) => argv.flatMap((a) => (/^-[A-Za-z]=/.test(a) ? [a.slice(0, 2), a.slice(3)] : [a]));

export function parse(argv: string[], options: OptionSpec): Parsed {
  try {
    const { values, positionals } = parseArgs({ args: shortEquals(argv), options, allowPositionals: true, strict: true });
    return { values: values as Parsed['values'], positionals };
  } catch (err) {
    throw invalidRequest((err as Error).message);
  }
}

export const list = (v: unknown): string[] => (Array.isArray(v) ? (v as string[]) : []);
