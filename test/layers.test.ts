// The floors of the whole tree, read from every import. A request walks down app/'s floors:
// the handlers, the transfer wing (export and import, which reach the engine through a few of
// its methods), the engine, the drivers, the system and the state, the shapes, the errors;
// app/ never imports electron or anything outside it. The page (renderer/) and the preload
// take from app/ only page-safe modules (shapes, types and pure helpers, and nothing those
// import that is not page-safe too) and nothing of Node. main/'s front ends (the command line,
// Electron, the browser host) import the engine and main/shared, never each other.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');

/** app/'s floors, top first; folders on one floor may use each other. */
const FLOORS: string[][] = [['handlers'], ['transfer'], ['volume'], ['drivers', 'plugin-client'], ['system', 'state'], ['api'], ['errors']];

/** What the page and the preload may take from app/. */
const PAGE_SAFE = ['app/api/types.ts', 'app/api/contract.ts', 'app/api/bridge.ts', 'app/api/option-shapes.ts', 'app/api/progress.ts', 'app/api/bytes.ts', 'app/errors/guided-error.ts', 'app/errors/page-errors.ts'];

const FRONT_ENDS = ['main/cli', 'main/electron', 'main/host'];

export interface Import {
  /** Repository-relative paths, `to` resolved to its .ts/.tsx file where it is one of the tree. */
  from: string;
  to: string;
  /** `import type`, erased from every bundle. */
  typeOnly: boolean;
}

const floorOf = (file: string): number => {
  const folder = file.split('/')[1]!;
  const i = FLOORS.findIndex((f) => f.includes(folder));
  if (i < 0) throw new Error(`${file}: its folder ${folder} is on no floor; add it to FLOORS`);
  return i;
};
const frontEndOf = (file: string) => FRONT_ENDS.find((f) => file.startsWith(`${f}/`));

/** Every import that breaks a rule of the house, said in words. */
export function violations(imports: Import[]): string[] {
  const wrong: string[] = [];
  const valueImports = new Map<string, string[]>();
  for (const i of imports) if (!i.typeOnly) valueImports.set(i.from, [...(valueImports.get(i.from) ?? []), i.to]);
  for (const { from, to, typeOnly } of imports) {
    const external = !to.includes('/') || to.startsWith('node:') || to.startsWith('@');
    if (from.startsWith('app/')) {
      if (to === 'electron' || to.startsWith('electron/')) wrong.push(`${from} imports electron`);
      if (external) continue;
      if (!to.startsWith('app/')) wrong.push(`${from} imports ${to}, outside app/`);
      else if (dirname(from) !== 'app' && dirname(to) !== 'app' && floorOf(to) < floorOf(from)) wrong.push(`${from} (${FLOORS[floorOf(from)]}) imports ${to} (${FLOORS[floorOf(to)]}), a floor up`);
    } else if (from.startsWith('renderer/') || from.startsWith('preload/')) {
      if (to.startsWith('node:') || (to === 'electron' && from.startsWith('renderer/'))) wrong.push(`${from} imports ${to}, which the page has not`);
      if (to.startsWith('main/')) wrong.push(`${from} imports ${to}, a process entry`);
      if (to.startsWith('app/') && !typeOnly && !PAGE_SAFE.includes(to)) wrong.push(`${from} imports ${to}, which is not page-safe`);
    } else if (from.startsWith('main/')) {
      const mine = frontEndOf(from);
      const theirs = frontEndOf(to);
      if (theirs && mine !== theirs) wrong.push(`${from} imports ${to}, another front end's`);
      if (from.startsWith('main/shared/') && theirs) wrong.push(`${from} imports ${to}: shared code imports no front end`);
    }
  }
  // What is page-safe stays so: its own value imports are page-safe too.
  for (const safe of PAGE_SAFE) for (const to of valueImports.get(safe) ?? []) if (to.startsWith('app/') && !PAGE_SAFE.includes(to)) wrong.push(`${safe} (page-safe) imports ${to}, which is not`);
  return wrong;
}

const IMPORT = /(?:^|\n)\s*(import|export)(\s+type)?\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g;

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

function resolveSpec(from: string, spec: string): string {
  if (!spec.startsWith('.')) return spec;
  const abs = relative(ROOT, resolve(ROOT, dirname(from), spec.replace(/\?raw$/, '')));
  for (const candidate of [abs.replace(/\.js$/, '.ts'), abs.replace(/\.js$/, '.tsx'), abs]) if (candidate && readable(candidate)) return candidate;
  return abs;
}
const readable = (file: string) => {
  try {
    readFileSync(join(ROOT, file));
    return true;
  } catch {
    return false;
  }
};

function importsOfTree(): Import[] {
  return ['app', 'main', 'renderer', 'preload'].flatMap(sources).flatMap((from) =>
    [...readFileSync(join(ROOT, from), 'utf8').matchAll(IMPORT)].map((m) => ({ from, to: resolveSpec(from, m[3] ?? m[4] ?? m[5]!), typeOnly: m[2] !== undefined })),
  );
}

describe('the floors of the tree', () => {
  const imports = importsOfTree();

  it('has files on every floor of app/ it names', () => {
    expect(new Set(imports.filter((i) => i.from.startsWith('app/') && dirname(i.from) !== 'app').map((i) => floorOf(i.from))).size).toBe(FLOORS.length);
  });

  it('holds every rule: app/ points down, the page takes only page-safe modules, front ends stay apart', () => {
    expect(violations(imports)).toEqual([]);
  });

  it('fails on an import that breaks each rule', () => {
    const cases: [Import, RegExp][] = [
      [{ from: 'app/system/mountinfo.ts', to: 'app/volume/engine.ts', typeOnly: false }, /a floor up/],
      [{ from: 'app/api/types.ts', to: 'app/errors/catalogue.ts', typeOnly: false }, /page-safe\) imports/],
      [{ from: 'app/volume/engine.ts', to: 'electron', typeOnly: false }, /imports electron/],
      [{ from: 'app/volume/engine.ts', to: 'main/host/server.ts', typeOnly: false }, /outside app/],
      [{ from: 'renderer/components/App.tsx', to: 'app/errors/catalogue.ts', typeOnly: false }, /not page-safe/],
      [{ from: 'renderer/lib/field-checks.ts', to: 'node:fs', typeOnly: false }, /which the page has not/],
      [{ from: 'preload/index.ts', to: 'app/volume/engine.ts', typeOnly: false }, /not page-safe/],
      [{ from: 'main/electron/window.ts', to: 'main/host/security.ts', typeOnly: false }, /another front end's/],
      [{ from: 'main/host/server.ts', to: 'main/cli/print.ts', typeOnly: false }, /another front end's/],
      [{ from: 'main/shared/csp.ts', to: 'main/electron/window.ts', typeOnly: false }, /shared code imports no front end/],
    ];
    for (const [imp, says] of cases) {
      const found = violations([...imports, imp]);
      expect(found.some((w) => says.test(w)), `${imp.from} -> ${imp.to}`).toBe(true);
    }
    // A type-only import is erased from the page bundle: it is allowed.
    expect(violations([{ from: 'renderer/components/App.tsx', to: 'app/volume/engine.ts', typeOnly: true }])).toEqual([]);
  });
});
