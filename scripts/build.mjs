// One build for every runtime: the VS Code host, the trainer (child process and CLI) and one
// browser bundle per webview panel (src/webview/<panel>/main.ts).
// Usage: node scripts/build.mjs [--production] [--watch] [--only extension|trainer|datasetWorker|gradientWorker|nativeSetup|cli|webview]
import * as esbuild from 'esbuild';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const watch = args.includes('--watch');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
const production = process.env.NODE_ENV === 'production' || args.includes('--production');

// tfjs stays outside the bundle: the wasm backend finds its .wasm files next to its own module,
// and the optional tfjs-node must be resolved (or found missing) at run time.
const nodeExternals = [
  '@tensorflow/tfjs',
  '@tensorflow/tfjs-node',
  '@tensorflow/tfjs-node-gpu',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-layers',
  // sharp picks its native build or its .wasm build at run time, from files next to its module.
  'sharp',
];

const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning' };

// Every folder of src/webview but `common` is a panel with a main.ts.
const webviewPanels = readdirSync('src/webview', { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== 'common')
  .map((d) => d.name);

const targets = {
  extension: {
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // The host never loads tfjs (it lives in the trainer process). Marking it external turns a stray
    // import into a runtime require instead of 4 MB inlined silently; test/unit/extension/hostBundle.test.ts
    // reads the metafile below and fails on either.
    external: ['vscode', '@tensorflow/*'],
    metafile: true,
  },
  trainer: {
    ...common,
    entryPoints: ['src/trainer/main.ts'],
    outfile: 'dist/trainer.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternals,
  },
  // The host's MNIST reader, a worker thread: the loader is Node-only trainer code, run off the host's main thread.
  datasetWorker: {
    ...common,
    entryPoints: ['src/trainer/datasetWorker.ts'],
    outfile: 'dist/datasetWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  cli: {
    ...common,
    entryPoints: ['src/trainer/cli.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternals,
  },
  // The Install Native TensorFlow command's child process: the setup's scripts, which the .vsix does not ship.
  nativeSetup: {
    ...common,
    entryPoints: ['scripts/nativeSetupMain.mjs'],
    outfile: 'dist/nativeSetup.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  // The fused trainer's worker threads (src/trainer/fused/fusedStepper.ts) load it from next to the trainer and the CLI.
  gradientWorker: {
    ...common,
    entryPoints: ['src/trainer/fused/gradientWorker.ts'],
    outfile: 'dist/gradientWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: nodeExternals,
  },
  // Webview bundles are always minified: Chromium loads and parses every byte each time a panel
  // opens (the dashboard's script started ~70 ms later at 575 KB unminified than at 286 KB
  // minified), and outside production the sourcemap still maps them back to the sources.
  webview: {
    ...common,
    minify: true,
    entryPoints: Object.fromEntries(webviewPanels.map((p) => [p, join('src/webview', p, 'main.ts')])),
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
    target: 'chrome114',
  },
};

if (only && !(only in targets)) throw new Error(`--only ${only}: no such target (${Object.keys(targets).join(', ')})`);
// The trainer and the CLI start their gradient worker threads from dist/gradientWorker.js: build it with them.
const companions = { trainer: ['gradientWorker'], cli: ['gradientWorker'] };
const selected = Object.entries(targets).filter(([name]) => !only || name === only || companions[only]?.includes(name));

if (watch) {
  for (const [, options] of selected) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(
    selected.map(async ([, options]) => {
      const result = await esbuild.build(options);
      if (result.metafile) writeFileSync(`${options.outfile}.meta.json`, JSON.stringify(result.metafile));
    }),
  );
}
