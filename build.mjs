// Bundles the command line (and the benchmark and the tests' volume plugin) with esbuild: one file per entry plus
// chunks for what only some verbs load (conf, sudo-prompt), because
// Node's start-up is the floor of every command and each module read adds to it.
import { build } from 'esbuild';
import { chmodSync, copyFileSync, readFileSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

// --release: the bundle npm run dist packages, without the tests' hooks (app/system/fault-points.ts)
// and without the entries only tests and the benchmark run. --outdir DIR: somewhere else than dist.
const release = process.argv.includes('--release');
const outIndex = process.argv.indexOf('--outdir');
const out = outIndex > 0 ? process.argv[outIndex + 1] : 'dist';
const releaseDefine = release ? { 'process.env.VOLUME_MANAGER_RELEASE': '"1"' } : {};

const ajvNotBundled = {
  name: 'ajv-not-bundled',
  setup(b) {
    b.onResolve({ filter: /^ajv(-formats)?(\/.*)?$/ }, () => ({ path: resolve('build/ajv-not-bundled.js') }));
  },
};

// The root side's shell, imported as `./file.sh?raw` (as Vite reads it in the tests): its text,
// and in a release bundle without the blocks marked as test hooks, each replaced by a no-op
// of the function it defines, so that no SIGSTOP a test needs ships.
const rawText = {
  name: 'raw-text',
  setup(b) {
    b.onResolve({ filter: /\?raw$/ }, (args) => ({ path: resolve(dirname(args.importer), args.path.slice(0, -'?raw'.length)), namespace: 'raw-text' }));
    b.onLoad({ filter: /.*/, namespace: 'raw-text' }, (args) => {
      let text = readFileSync(args.path, 'utf8');
      if (release) text = text.replace(/^# @test-hook\b[^\n]*\n(?:#[^\n]*\n)*(\w+)\(\)[\s\S]*?^# @end-test-hook\n/gm, '$1() { :; }\n');
      return { contents: text, loader: 'text' };
    });
  },
};

// CommonJS dependencies bundled into ESM (sudo-prompt, electron-store's) call require for Node built-ins.
const requireInEsm = { js: "import{createRequire as __vmRequire}from'node:module';const require=__vmRequire(import.meta.url);" };

rmSync(out, { recursive: true, force: true });
const testOnly = release ? {} : { bench: 'bench/bench.ts', 'test-plugin': 'test/plugin/test-plugin.ts' };
await build({
  entryPoints: { cli: 'main/cli/main.ts', host: 'main/host/main.ts', start: 'main/start.ts', dist: 'main/dist.ts', ...testOnly },
  outdir: out,
  define: releaseDefine,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: release ? false : 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  banner: requireInEsm,
  plugins: [ajvNotBundled, rawText],
  // The benchmark drives Chromium with playwright-core from node_modules; it is not shipped.
  external: ['playwright-core'],
  logLevel: 'warning',
});
chmodSync(`${out}/cli.mjs`, 0o755);

// The window's page: React and zustand for the browser, no Node. One script, one style sheet.
await build({
  entryPoints: { app: 'renderer/main.tsx' },
  outdir: `${out}/renderer`,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome120'],
  jsx: 'automatic',
  minify: true,
  sourcemap: release ? false : 'linked',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});
copyFileSync('renderer/index.html', `${out}/renderer/index.html`);

// Electron's main process (ESM, as Electron 28+ loads it) and the preload (CommonJS: a
// sandboxed preload cannot be a module). electron itself is provided by the runtime.
const electronCommon = { bundle: true, platform: 'node', target: 'node22', external: ['electron'], minify: true, sourcemap: release ? false : 'linked', logLevel: 'warning', plugins: [ajvNotBundled, rawText], define: releaseDefine };
await build({ ...electronCommon, entryPoints: { 'electron-main': 'main/electron/main.ts' }, outdir: out, outExtension: { '.js': '.mjs' }, format: 'esm', banner: requireInEsm });
await build({ ...electronCommon, entryPoints: { preload: 'preload/index.ts' }, outdir: out, outExtension: { '.js': '.cjs' }, format: 'cjs' });
