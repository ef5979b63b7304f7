import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { BackendUnavailableError, INFERENCE, selectBackend } from '../../../src/trainer/backend';
import { tfjsNodeInstalled } from '../../support/tfjsNode';

test('backend: a forced choice runs that backend and says so', async () => {
  assert.deepEqual(await selectBackend('cpu'), { backend: 'cpu', detail: 'cpu (pure JavaScript)' });
  assert.equal(tf.getBackend(), 'cpu');
  const wasm = await selectBackend('wasm');
  assert.equal(wasm.backend, 'wasm');
  assert.match(wasm.detail, /^wasm \((SIMD|no SIMD)\)$/);
  assert.equal(tf.getBackend(), 'wasm');
  // The wasm module really computes: a small matMul gives the right answer.
  const product = tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2]));
  assert.deepEqual(Array.from(await product.data()), [19, 22, 43, 50]);
  product.dispose();
});

test('backend: auto takes native TensorFlow when installed, else wasm', async () => {
  const auto = await selectBackend('auto');
  assert.equal(auto.backend, tfjsNodeInstalled() ? 'tensorflow' : 'wasm');
});

test('backend: a model only read runs on wasm, with native TensorFlow installed or not', async () => {
  const inference = await selectBackend(INFERENCE);
  assert.equal(inference.backend, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
});

test(
  'backend: forcing tensorflow without @tensorflow/tfjs-node fails with how to get it',
  { skip: tfjsNodeInstalled() && 'tfjs-node is installed here' },
  async () => {
    await assert.rejects(
      selectBackend('tensorflow'),
      (e: unknown) =>
        e instanceof BackendUnavailableError &&
        e.message ===
          'backend tensorflow is not available: @tensorflow/tfjs-node is not installed (MNIST: Install Native TensorFlow…; from a clone: npm run setup:native)',
    );
  },
);

test(
  'backend: native TensorFlow is labelled with the version of the library it runs, not the tfjs version',
  { skip: !tfjsNodeInstalled() && 'tfjs-node is not installed here (npm run setup:native)' },
  async () => {
    const native = await selectBackend('tensorflow');
    assert.equal(tf.getBackend(), 'tensorflow');
    const binding = (tf.backend() as unknown as { binding: { TF_Version: string } }).binding;
    assert.match(binding.TF_Version, /^2\.\d+\.\d+/);
    assert.notEqual(binding.TF_Version, tf.version['tfjs-core']);
    assert.deepEqual(native, { backend: 'tensorflow', detail: `tensorflow (native TensorFlow ${binding.TF_Version})` });
    const product = tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2]));
    assert.deepEqual(Array.from(await product.data()), [19, 22, 43, 50]);
    product.dispose();
  },
);
