// The trainer's look at the engine Install Native TensorFlow put in global storage: real folders and
// files, and Node's real module resolution (a second tfjs is a real package folder).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { INSTALLED_MANIFEST } from '../../../src/shared/nativeEngine';
import { findInstalledEngine, resolveTfjs } from '../../../src/trainer/installedEngine';
import { tempDir } from '../../support/tempDir';

const root = path.resolve(__dirname, '../../..');
const manifest = {
  tfjsNode: '4.22.0',
  tfjs: tf.version.tfjs,
  tensorflow: '2.21.0',
  wheel: 'tensorflow_cpu-2.21.0.whl',
};

/** An installed folder as the installer leaves it (a tfjs-node package without its own tfjs), with `written` as its manifest. */
function installed(written: string | object | null): string {
  const folder = tempDir('installed-engine');
  const tfjsNode = path.join(folder, 'node_modules', '@tensorflow', 'tfjs-node');
  fs.mkdirSync(tfjsNode, { recursive: true });
  fs.writeFileSync(path.join(tfjsNode, 'package.json'), '{"name":"@tensorflow/tfjs-node","version":"4.22.0"}');
  if (written !== null) {
    const text = typeof written === 'string' ? written : JSON.stringify(written);
    fs.writeFileSync(path.join(folder, INSTALLED_MANIFEST), text);
  }
  return folder;
}

/** Resolution as the trainer sees it with the extension's node_modules on NODE_PATH (a child started that way). */
function resolvingWithNodePath(nodePath: string | null): (from: string | null) => string | null {
  return (from) => {
    const script = `try { console.log(require('fs').realpathSync(require.resolve('@tensorflow/tfjs', ${from ? `{ paths: [${JSON.stringify(from)}] }` : 'undefined'}))) } catch { console.log('') }`;
    const env = { ...process.env };
    delete env.NODE_PATH;
    if (nodePath) env.NODE_PATH = nodePath;
    const out = execFileSync(process.execPath, ['-e', script], { cwd: root, env, encoding: 'utf8' }).trim();
    return out || null;
  };
}

test('installed engine: none when the host names no folder, or the folder holds no install', () => {
  assert.deepEqual(findInstalledEngine(undefined, tf.version.tfjs, resolveTfjs), { kind: 'none' });
  assert.deepEqual(findInstalledEngine(installed(null), tf.version.tfjs, resolveTfjs), { kind: 'none' });
  assert.deepEqual(findInstalledEngine(path.join(tempDir('no-such'), 'native'), tf.version.tfjs, resolveTfjs), {
    kind: 'none',
  });
});

test('installed engine: a manifest that is not ours (bad JSON, wrong fields, too large, a FIFO) is ignored with one line', () => {
  const fifo = installed(null);
  execFileSync('mkfifo', [path.join(fifo, INSTALLED_MANIFEST)]);
  for (const folder of [
    installed('{"tfjs": '),
    installed({ ...manifest, tfjs: 'latest' }),
    installed(JSON.stringify({ ...manifest, padding: 'x'.repeat(5000) })),
    fifo,
  ]) {
    const found = findInstalledEngine(folder, tf.version.tfjs, resolveTfjs);
    assert.equal(found.kind, 'ignored');
    assert.equal(
      found.kind === 'ignored' && found.why,
      `${path.join(folder, INSTALLED_MANIFEST)} is not an install manifest of Tensor Lens: run MNIST: Install Native TensorFlow… again`,
    );
  }
});

test('installed engine: one built for another tfjs (an update of the extension moved it) is ignored with one line', () => {
  const folder = installed({ ...manifest, tfjs: '4.21.0' });
  assert.deepEqual(findInstalledEngine(folder, '4.22.0', resolveTfjs), {
    kind: 'ignored',
    why: `native TensorFlow in ${folder} was installed for tfjs 4.21.0, this Tensor Lens runs tfjs 4.22.0: run MNIST: Install Native TensorFlow… again`,
  });
});

test("installed engine: usable only when its require('@tensorflow/tfjs') reaches the trainer's own tfjs", () => {
  const folder = installed(manifest);
  const tfjsNode = path.join(folder, 'node_modules', '@tensorflow', 'tfjs-node');
  // Without NODE_PATH, tfjs-node in global storage finds no tfjs at all.
  const bare = findInstalledEngine(folder, tf.version.tfjs, resolvingWithNodePath(null));
  assert.deepEqual(bare, {
    kind: 'ignored',
    why: `native TensorFlow in ${folder} would load no @tensorflow/tfjs, not the trainer's: NODE_PATH must name the extension's dist/node_modules`,
  });
  // With the extension's node_modules on NODE_PATH (as the host starts the trainer), it reaches the same file.
  const shared = findInstalledEngine(folder, tf.version.tfjs, resolvingWithNodePath(path.join(root, 'node_modules')));
  assert.deepEqual(shared, { kind: 'usable', tfjsNode, manifest });
  // A copy of tfjs of its own (what npm installs with tfjs-node) would be a second instance: refused.
  const second = path.join(folder, 'node_modules', '@tensorflow', 'tfjs');
  fs.mkdirSync(second);
  fs.writeFileSync(
    path.join(second, 'package.json'),
    '{"name":"@tensorflow/tfjs","version":"4.22.0","main":"index.js"}',
  );
  fs.writeFileSync(path.join(second, 'index.js'), '');
  const found = findInstalledEngine(folder, tf.version.tfjs, resolvingWithNodePath(path.join(root, 'node_modules')));
  assert.deepEqual(found, {
    kind: 'ignored',
    why: `native TensorFlow in ${folder} would load a second tfjs (${fs.realpathSync(path.join(second, 'index.js'))}), not the trainer's: NODE_PATH must name the extension's dist/node_modules`,
  });
});
