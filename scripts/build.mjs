// One build for every runtime: the VS Code host, the trainer (child process and CLI) and one
// browser bundle per webview panel (src/webview/<panel>/main.ts).
// tfjs is bundled too, once, as packages of their own in dist/node_modules (see tfjsPackages below).
// Usage: node scripts/build.mjs [--production] [--watch] [--only extension|trainer|datasetWorker|gradientWorker|nativeSetup|cli|webview|tfjs]
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const args = process.argv.slice(2);
const watch = args.includes('--watch');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : null;
const production = process.env.NODE_ENV === 'production' || args.includes('--production');

const requireHere = createRequire(import.meta.url);

// The trainer, the CLI and the gradient worker require tfjs at run time, and Node finds it in
// dist/node_modules first: one bundled copy for the three (tfjsPackages below). It is not inlined
// into each because the optional native addon, @tensorflow/tfjs-node, found at run time, registers its
// backend into the tfjs it requires itself: dist/node_modules is what it reaches (NODE_PATH, see
// src/extension/nativeInstaller.ts), so both hold the same instance.
const nodeExternals = [
  '@tensorflow/tfjs',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-node',
  '@tensorflow/tfjs-node-gpu',
  // sharp picks its native build or its .wasm build at run time, from files next to its module.
  'sharp',
];

/** dist/node_modules: tfjs bundled as packages Node resolves by name (what `require('@tensorflow/tfjs')` finds from dist/). */
const tfjsFolder = join('dist', 'node_modules', '@tensorflow');
const tfjsVersion = JSON.parse(readFileSync(requireHere.resolve('@tensorflow/tfjs/package.json'), 'utf8')).version;

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
    // What it requires at run time: test/unit/trainer/trainerBundle.test.ts reads it.
    metafile: true,
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
    metafile: true,
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
    metafile: true,
  },
  // tfjs (core, layers, converter, data, the cpu backend) as one file, @tensorflow/tfjs's main.
  // No source map: nobody steps through tfjs, and its 15 MB map tripled the build's time.
  tfjs: {
    ...common,
    sourcemap: false,
    entryPoints: [requireHere.resolve('@tensorflow/tfjs')],
    outfile: join(tfjsFolder, 'tfjs', 'index.js'),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    metafile: true,
  },
  // The wasm backend's JavaScript; its .wasm files are copied next to it (setWasmPaths finds them there).
  // It registers into the one tfjs above through the tfjs-core package below.
  tfjsBackendWasm: {
    ...common,
    sourcemap: false,
    entryPoints: [requireHere.resolve('@tensorflow/tfjs-backend-wasm')],
    outfile: join(tfjsFolder, 'tfjs-backend-wasm', 'index.js'),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['@tensorflow/tfjs-core'],
    metafile: true,
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

/**
 * The package files around the tfjs bundles: each package.json (the installer checks tfjs's version,
 * tfjs-node pins it), tfjs-core as tfjs itself (the union re-exports all of core; tfjs-node and the wasm
 * backend require it by that name) and the wasm binaries. Written only where they differ, and never
 * removed first: tests build in parallel while others run a trainer that loads them.
 */
function writeTfjsPackages() {
  const files = new Map();
  for (const name of ['tfjs', 'tfjs-core', 'tfjs-backend-wasm']) {
    const manifest = { name: `@tensorflow/${name}`, version: tfjsVersion, main: 'index.js', license: 'Apache-2.0' };
    files.set(join(name, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  }
  files.set(
    join('tfjs-core', 'index.js'),
    "// tfjs-core is part of the tfjs bundle: one instance, whichever name it is required by.\nmodule.exports = require('@tensorflow/tfjs');\n",
  );
  const wasmDist = dirname(requireHere.resolve('@tensorflow/tfjs-backend-wasm'));
  for (const file of readdirSync(wasmDist).filter((f) => f.endsWith('.wasm'))) {
    files.set(join('tfjs-backend-wasm', file), readFileSync(join(wasmDist, file)));
  }
  for (const [file, content] of files) {
    const target = join(tfjsFolder, file);
    mkdirSync(dirname(target), { recursive: true });
    const now = existsSync(target) ? readFileSync(target) : null;
    if (!now?.equals(Buffer.from(content))) writeFileSync(target, content);
  }
  // What an earlier build left that this one does not make (a file tfjs no longer has would still resolve).
  const bundles = ['index.js', 'index.js.meta.json'];
  for (const name of readdirSync(tfjsFolder)) {
    for (const file of readdirSync(join(tfjsFolder, name))) {
      const made = files.has(join(name, file)) || (name !== 'tfjs-core' && bundles.includes(file));
      if (!made) rmSync(join(tfjsFolder, name, file), { recursive: true, force: true });
    }
  }
}

if (only && !(only in targets)) throw new Error(`--only ${only}: no such target (${Object.keys(targets).join(', ')})`);
// The trainer and the CLI start their gradient worker threads from dist/gradientWorker.js and require tfjs
// from dist/node_modules, which the native installer checks its install against: build those with them.
const tfjsTargets = ['tfjs', 'tfjsBackendWasm'];
const companions = {
  trainer: ['gradientWorker', ...tfjsTargets],
  cli: ['gradientWorker', ...tfjsTargets],
  gradientWorker: tfjsTargets,
  nativeSetup: tfjsTargets,
  tfjs: ['tfjsBackendWasm'],
};
/**
 * The tfjs bundles depend only on the installed tfjs and the build's mode: a build that finds them made
 * from the same (dist/tfjs-build.json) keeps them, so a test's `--only trainer` costs 1 s, not 3.
 */
const tfjsStampFile = join('dist', 'tfjs-build.json');
const tfjsStamp = JSON.stringify({ tfjs: tfjsVersion, esbuild: esbuild.version, production });
const tfjsMade =
  !watch &&
  only !== 'tfjs' &&
  existsSync(tfjsStampFile) &&
  readFileSync(tfjsStampFile, 'utf8') === tfjsStamp &&
  ['tfjs', 'tfjs-backend-wasm'].every((name) => existsSync(join(tfjsFolder, name, 'index.js')));
const selected = Object.entries(targets).filter(
  ([name]) => (!only || name === only || companions[only]?.includes(name)) && !(tfjsMade && tfjsTargets.includes(name)),
);
if (selected.some(([name]) => tfjsTargets.includes(name))) {
  rmSync(tfjsStampFile, { force: true });
  writeTfjsPackages();
}

/**
 * dist/THIRD_PARTY_NOTICES.txt: each package bundled into dist/ (per esbuild's metafiles of this build),
 * with its version, licence and licence text, so the .vsix carries the notices of the code it inlines.
 */
function writeNotices(metafiles) {
  const packages = new Map();
  for (const meta of metafiles) {
    for (const input of Object.keys(meta.inputs)) {
      const match = /^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//.exec(input);
      if (match) packages.set(match[2], match[1]);
    }
  }
  const sections = [...packages.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, folder]) => {
      const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
      const licence = typeof manifest.license === 'string' ? manifest.license : 'see the package';
      const file = readdirSync(folder).find((f) => /^(licen[cs]e|copying|notice)(\.|$)/i.test(f));
      if (file)
        return `${name} ${manifest.version} — ${licence}\n\n${readFileSync(join(folder, file), 'utf8').trim()}\n`;
      // No licence file in the package (tfjs, seedrandom, tr46): the licence it names, in full.
      const author = typeof manifest.author === 'string' ? manifest.author : manifest.author?.name;
      const text = licence.startsWith('Apache-2.0')
        ? 'Licensed under the Apache License, Version 2.0: the text is at the end of this file.'
        : licence === 'MIT'
          ? `Copyright (c) ${author ?? `the authors of ${name}`}\n\n${MIT_TEXT}`
          : `Licensed under ${licence}.`;
      return `${name} ${manifest.version} — ${licence}\n\n${text}\n`;
    });
  const header =
    'Tensor Lens bundles the following third-party packages into its scripts (dist/). Their licences follow.\n';
  // The Apache License 2.0 in full, from a package that ships it (sharp's LICENSE is that text).
  const apache = readFileSync(join(dirname(dirname(requireHere.resolve('sharp'))), 'LICENSE'), 'utf8').trim();
  const notices = [header, ...sections, `${apache}\n`].join(`\n${'-'.repeat(80)}\n\n`);
  writeFileSync(join('dist', 'THIRD_PARTY_NOTICES.txt'), notices);
}

const MIT_TEXT = `Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction, including
without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the
following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial
portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT
LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO
EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR
THE USE OR OTHER DEALINGS IN THE SOFTWARE.`;

if (watch) {
  for (const [, options] of selected) await (await esbuild.context(options)).watch();
} else {
  const metafiles = await Promise.all(
    selected.map(async ([, options]) => {
      const result = await esbuild.build({ ...options, metafile: true });
      if (options.metafile) writeFileSync(`${options.outfile}.meta.json`, JSON.stringify(result.metafile));
      return result.metafile;
    }),
  );
  if (selected.some(([name]) => tfjsTargets.includes(name))) writeFileSync(tfjsStampFile, tfjsStamp);
  // Only a whole build knows every bundled package (tfjs's from its metafile when it was kept).
  if (!only) {
    const kept = tfjsMade
      ? ['tfjs', 'tfjs-backend-wasm'].map((name) => join(tfjsFolder, name, 'index.js.meta.json'))
      : [];
    writeNotices([...metafiles, ...kept.map((file) => JSON.parse(readFileSync(file, 'utf8')))]);
  }
}
