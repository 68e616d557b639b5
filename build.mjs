// Bundles the command line (and the benchmark and the tests' volume plugin) with esbuild: one file per entry plus
// chunks for what only some verbs load (conf, sudo-prompt), because
// Node's start-up is the floor of every command and each module read adds to it.
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

const ajvNotBundled = {
  name: 'ajv-not-bundled',
  setup(b) {
    b.onResolve({ filter: /^ajv(-formats)?(\/.*)?$/ }, () => ({ path: resolve('build/ajv-not-bundled.js') }));
  },
};

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { cli: 'main/cli.ts', bench: 'bench/bench.ts', 'test-plugin': 'test/plugin/test-plugin.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  // CommonJS dependencies (sudo-prompt) call require for Node built-ins.
  banner: { js: "import{createRequire as __vmRequire}from'node:module';const require=__vmRequire(import.meta.url);" },
  plugins: [ajvNotBundled],
  logLevel: 'warning',
});
chmodSync('dist/cli.mjs', 0o755);
