// The trainer's bundles (dist/trainer.js, dist/cli.js, dist/gradientWorker.js) inline every JavaScript
// dependency but what cannot be: tfjs, which they require from dist/node_modules, where the build puts it
// bundled (one instance, which the optional native addon registers into too), the native addons found at
// run time, and sharp (its builds are files next to its module). This reads what esbuild left outside of
// each bundle and checks that what is left resolves where the .vsix has it.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { built, REPO_ROOT } from '../../support/trainer';

interface Metafile {
  outputs: Record<string, { imports: { path: string; external?: boolean }[] }>;
}

const dist = path.join(REPO_ROOT, 'dist');
const tfjsPackages = path.join(dist, 'node_modules', '@tensorflow');
const builtins = new Set(builtinModules);

/** What a bundle requires at run time, Node's built-ins left out. */
function requiredBy(bundle: string): string[] {
  const meta = JSON.parse(readFileSync(`${bundle}.meta.json`, 'utf8')) as Metafile;
  const external = Object.values(meta.outputs)
    .flatMap((o) => o.imports)
    .filter((i) => i.external)
    .map((i) => i.path);
  return [...new Set(external.filter((p) => !builtins.has(p.replace(/^node:/, ''))))].sort();
}

before(() => {
  // The CLI's build brings the gradient worker and the tfjs packages with it.
  built('cli');
  built('trainer');
});

test('the trainer, the CLI and the gradient worker require only tfjs, its wasm backend, the native addons and sharp', () => {
  const allowed = new Set([
    '@tensorflow/tfjs',
    '@tensorflow/tfjs-backend-wasm',
    '@tensorflow/tfjs-node',
    '@tensorflow/tfjs-node-gpu',
    'sharp',
  ]);
  for (const name of ['trainer', 'cli', 'gradientWorker']) {
    const required = requiredBy(path.join(dist, `${name}.js`));
    assert.ok(required.includes('@tensorflow/tfjs'), `${name}.js requires tfjs at run time: ${required.join(', ')}`);
    assert.deepEqual(
      required.filter((p) => !allowed.has(p)),
      [],
      `${name}.js`,
    );
  }
});

test('from dist/, tfjs and its wasm backend resolve to their bundles in dist/node_modules, which require nothing else', () => {
  const version = (
    JSON.parse(readFileSync(require.resolve('@tensorflow/tfjs/package.json'), 'utf8')) as { version: string }
  ).version;
  for (const name of ['tfjs', 'tfjs-core', 'tfjs-backend-wasm']) {
    const resolved = require.resolve(`@tensorflow/${name}`, { paths: [dist] });
    assert.equal(resolved, path.join(tfjsPackages, name, 'index.js'));
    // The native installer checks tfjs's version there (tfjs-node pins it exactly).
    const manifest = JSON.parse(readFileSync(path.join(tfjsPackages, name, 'package.json'), 'utf8')) as {
      version: string;
    };
    assert.equal(manifest.version, version, name);
  }
  // node-fetch (tfjs's fetch in Node) tries `encoding` inside a try: optional, absent here and in the .vsix.
  assert.deepEqual(requiredBy(path.join(tfjsPackages, 'tfjs', 'index.js')), ['encoding']);
  assert.throws(() => require.resolve('encoding', { paths: [dist] }));
  // The wasm backend registers into the one tfjs, through the tfjs-core package (tfjs itself).
  assert.deepEqual(requiredBy(path.join(tfjsPackages, 'tfjs-backend-wasm', 'index.js')), ['@tensorflow/tfjs-core']);
  assert.match(
    readFileSync(path.join(tfjsPackages, 'tfjs-core', 'index.js'), 'utf8'),
    /require\('@tensorflow\/tfjs'\)/,
  );
});

test('the wasm backend’s binaries sit next to its bundle, as the package has them', () => {
  const original = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  const binaries = readdirSync(original).filter((f) => f.endsWith('.wasm'));
  assert.ok(binaries.includes('tfjs-backend-wasm-simd.wasm'), binaries.join(', '));
  for (const file of binaries) assert.ok(existsSync(path.join(tfjsPackages, 'tfjs-backend-wasm', file)), file);
});
