import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initialRunState } from '../../../src/shared/runState';
import { readHostMessage } from '../../../src/webview/common/hostMessages';
import { RunStateStore } from '../../../src/webview/common/runStateStore';

test('well-formed host messages pass through unchanged', () => {
  const samples = { type: 'samples', split: 'test', start: 10, count: 2, images: new Uint8Array(2 * 784) };
  assert.equal(readHostMessage(samples), samples);
  assert.ok(readHostMessage({ type: 'noModel' }));
  assert.ok(readHostMessage({ type: 'runState', state: initialRunState() }));
  assert.ok(readHostMessage({ type: 'trainerEvents', events: [{ type: 'backend', backend: 'wasm', detail: 'SIMD' }] }));
  assert.ok(
    readHostMessage({ type: 'prediction', prediction: { probabilities: [], steps: [] }, fileName: 'seven.png' }),
  );
});

/** A conv kernel [3, 3, 2, 4] as the host sends it: one input channel drawn as 9 positions × 4 filters. */
const convKernel = (values: Float32Array | null, snapshot: unknown) => ({
  type: 'tensor',
  tensor: {
    ref: { source: 'keras', runId: '20261206T050445Z-conv-jax-2f9aa9', name: 'sequential/conv2d/kernel' },
    shape: [3, 3, 2, 4],
    dtype: 'float32',
    sliceIndex: 1,
    values,
    summary: { stats: {}, histogram: {} },
    snapshot,
  },
});

test('a tensor passes when its values fill the matrix it draws, or none came and its snapshot says why', () => {
  const shown = convKernel(new Float32Array(36), { kind: 'values', index: 5, epoch: 2, step: 18, reason: 'epoch' });
  assert.equal(readHostMessage(shown), shown);
  const tooLarge = convKernel(null, { kind: 'tooLarge', limit: 16 });
  assert.equal(readHostMessage(tooLarge), tooLarge);
  for (const bad of [
    convKernel(new Float32Array(72), { kind: 'values', index: 5, epoch: 2, step: 18, reason: 'epoch' }),
    convKernel(null, { kind: 'values', index: 5, epoch: 2, step: 18, reason: 'epoch' }),
    convKernel(null, null),
    convKernel(new Float32Array(36), { kind: 'guess' }),
  ])
    assert.equal(readHostMessage(bad), null);
});

test('malformed messages are refused, not half-used', () => {
  for (const bad of [
    null,
    'ready',
    { type: 'explode' },
    { type: 'samples', split: 'test', start: 0, count: 2, images: new Uint8Array(784) },
    { type: 'samples', split: 'valid', start: 0, count: 1, images: new Uint8Array(784) },
    { type: 'tensor', tensor: { shape: [2], values: [1, 2] } },
    { type: 'datasetInfo', counts: {}, labels: { train: [1] } },
    { type: 'trainerEvents', events: 'batches' },
    { type: 'trainerEvents', events: [{ type: 'backend' }, 'batches'] },
    // The picture the panel shows is the prediction's original step: a prediction without steps shows nothing.
    { type: 'prediction', prediction: { probabilities: [] }, fileName: 'seven.png' },
    { type: 'prediction', prediction: { probabilities: [], steps: [] } },
  ])
    assert.equal(readHostMessage(bad), null, JSON.stringify(bad));
});

test('the panel state is the snapshot plus the same events through the shared reducer', () => {
  const store = new RunStateStore();
  const snapshot = initialRunState();
  snapshot.batches.push({ epoch: 1, batch: 0, step: 1, loss: 2.3, accuracy: 0.1 });
  assert.equal(store.apply({ type: 'runState', state: snapshot }), true);
  store.apply({
    type: 'trainerEvents',
    events: [
      { type: 'batches', points: [{ epoch: 1, batch: 1, step: 2, loss: 1.2, accuracy: 0.6 }], samplesPerSecond: 9000 },
      { type: 'batches', points: [{ epoch: 1, batch: 2, step: 3, loss: 1.1, accuracy: 0.7 }], samplesPerSecond: 9000 },
    ],
  });
  assert.deepEqual(
    store.state.batches.map((b) => b.step),
    [1, 2, 3],
  );
  assert.equal(store.state.samplesPerSecond, 9000);
  assert.equal(store.apply({ type: 'noModel' }), false);
});
