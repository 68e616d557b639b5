// Bundles the host, the benchmark and the tests' volume plugin with esbuild (one file per entry plus chunks
// for what only some load), and the command line as one CommonJS file run through V8's code cache, because
// Node's start-up is the floor of every command and each module read and compiled adds to it.
import { build } from 'esbuild';
import { chmodSync, copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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

// In the command line's CommonJS bundle, `await import('node:x')` becomes a require inside the
// bundle: the bundle runs through vm.Script, where a dynamic import would need a loader of its own.
const builtinsRequired = {
  name: 'builtins-required',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, namespace: 'builtin-required' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'builtin-required' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

// conf, which writes the store, imports node:crypto, node:assert and semver for encryption,
// its file watcher and migrations, none of which the app uses, and loading them is most of a
// write's cost in a one-shot command. In the command line's bundle, conf gets each as an object
// of the same names whose first use loads the real one: conf runs unchanged.
const confDepsOnUse = {
  name: 'conf-deps-on-use',
  setup(b) {
    b.onResolve({ filter: /^(node:crypto|node:assert|semver)$/ }, (args) => (/[\\/]node_modules[\\/]conf[\\/]/.test(args.importer) ? { path: args.path, namespace: 'on-use', pluginData: args.importer } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'on-use' }, (args) => {
      const from = createRequire(args.pluginData);
      const target = args.path.startsWith('node:') ? args.path : from.resolve(args.path);
      const names = Object.keys(from(args.path));
      const getters = names.map((n) => `get ${JSON.stringify(n)}(){return l()[${JSON.stringify(n)}]}`).join(',');
      return { contents: `let m;const l=()=>m??=require(${JSON.stringify(target)});module.exports={${getters}};`, loader: 'js', resolveDir: dirname(args.pluginData) };
    });
  },
};

// CommonJS dependencies bundled into ESM (sudo-prompt, electron-store's) call require for Node built-ins.
const requireInEsm = { js: "import{createRequire as __vmRequire}from'node:module';const require=__vmRequire(import.meta.url);" };

rmSync(out, { recursive: true, force: true });
const testOnly = release ? {} : { bench: 'bench/bench.ts', 'test-plugin': 'test/plugin/test-plugin.ts' };
await build({
  entryPoints: { host: 'main/host/main.ts', start: 'main/start.ts', dist: 'main/dist.ts', ...testOnly },
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

// The command line: one CommonJS file (cli-main.cjs), which its entry (cli.cjs, main/cli/launch.ts)
// runs with V8's code cache. Its lazily loaded parts are in that one file: a verb that does not
// call them does not run them, and the cache spares compiling them again.
await build({
  entryPoints: { 'cli-main': 'main/cli/main.ts' },
  outdir: out,
  define: { ...releaseDefine, 'import.meta.url': '__vmCliUrl' },
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: release ? false : 'linked',
  // What the bundle says of itself (the autostart entry, the far side's folder) is the entry's path.
  banner: { js: 'var __vmCliUrl=require("node:url").pathToFileURL(require("node:path").join(__dirname,"cli.cjs")).href;' },
  plugins: [ajvNotBundled, rawText, builtinsRequired, confDepsOnUse],
  logLevel: 'warning',
});
await build({ entryPoints: { cli: 'main/cli/launch.ts' }, outdir: out, outExtension: { '.js': '.cjs' }, bundle: true, format: 'cjs', platform: 'node', target: 'node20', minify: true, sourcemap: release ? false : 'linked', logLevel: 'warning' });
chmodSync(`${out}/cli.cjs`, 0o755);
// Autostart entries written by earlier versions run dist/cli.mjs: it stays, and runs the command.
writeFileSync(`${out}/cli.mjs`, "#!/usr/bin/env node\n// The command line's entry before it became cli.cjs, kept for autostart entries that name it.\nimport './cli.cjs';\n", { mode: 0o755 });

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
