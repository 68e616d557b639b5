// The engine's floors, top to bottom, as DESIGN.md draws them: a request walks down from the
// handlers to the transfer wing (export and import, which reach the engine through a few of its
// methods), the engine, the drivers, the system and the state, and every floor may use the
// shapes and errors below it. This test reads every import of app/ and fails on one that
// points up a floor, or on app/ importing electron (the engine also runs without it).

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const APP = import.meta.dirname;

/** Top floor first; folders on one floor may use each other. */
const FLOORS: string[][] = [['handlers'], ['transfer'], ['volume'], ['drivers', 'plugin-client'], ['system', 'state'], ['api'], ['errors']];

const floorOf = (file: string): number => {
  const folder = relative(APP, file).split('/')[0]!;
  const i = FLOORS.findIndex((f) => f.includes(folder));
  if (i < 0) throw new Error(`${relative(APP, file)}: its folder ${folder} is on no floor; add it to FLOORS`);
  return i;
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => m[1] ?? m[2]!);
}

describe('the layers of app/', () => {
  const files = sources(APP).filter((f) => dirname(f) !== APP);

  it('has files on every floor it names', () => {
    expect(new Set(files.map(floorOf)).size).toBe(FLOORS.length);
  });

  it('never imports up a floor, and never imports electron', () => {
    const wrong: string[] = [];
    for (const file of files) {
      for (const spec of importsOf(file)) {
        if (spec === 'electron' || spec.startsWith('electron/')) wrong.push(`${relative(APP, file)} imports ${spec}`);
        if (!spec.startsWith('.')) continue;
        const target = resolve(dirname(file), spec);
        if (!target.startsWith(`${APP}/`)) {
          wrong.push(`${relative(APP, file)} imports ${spec}, outside app/`);
          continue;
        }
        if (floorOf(target) < floorOf(file)) wrong.push(`${relative(APP, file)} (${FLOORS[floorOf(file)]}) imports ${relative(APP, target)} (${FLOORS[floorOf(target)]}), a floor up`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
