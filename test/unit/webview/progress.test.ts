import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_TRAIN_CONFIG } from '../../../src/shared/protocol';
import { applyEvent, initialRunState, type RunState } from '../../../src/shared/runState';
import { histogramBars } from '../../../src/shared/histogramBars';
import { backendText, offersNativeInstall, progressInfo } from '../../../src/webview/dashboard/progress';
import { shownFrame } from '../../../src/webview/dashboard/weightHistograms';

/** The book's run starting on `threads` threads. */
function startRun(state: RunState, threads = 1): RunState {
  return applyEvent(state, {
    type: 'trainStart',
    config: DEFAULT_TRAIN_CONFIG,
    threads,
    trainSamples: 60000,
    valSamples: 0,
    batchesPerEpoch: 469,
  });
}

function trainingState(doneSteps: number, samplesPerSecond: number) {
  const state = startRun(initialRunState());
  const points = Array.from({ length: doneSteps }, (_, i) => ({
    epoch: 1 + Math.floor(i / 469),
    batch: i % 469,
    step: i + 1,
    loss: 1,
    accuracy: 0.5,
  }));
  applyEvent(state, { type: 'batches', points, samplesPerSecond });
  return state;
}

test('progress and ETA from steps done and samples per second', () => {
  // 5 epochs × 469 batches = 2,345 steps; after 469 steps, 4 × 60,000 − (469·128 − 60,000) samples remain.
  const info = progressInfo(trainingState(469, 10_000));
  assert.ok(Math.abs(info.percent - 20) < 1e-9);
  // (300,000 − 60,032) samples at 10,000/s ≈ 24 s.
  assert.match(info.text, /epoch 1 of 5, batch 469 of 2,345, about 24 s left/);
  assert.doesNotMatch(progressInfo(trainingState(470, 0)).text, /left/, 'no speed yet, no ETA');
  assert.match(progressInfo(trainingState(470, 0)).text, /^epoch 2 of 5/);
});

test('a finished run is at 100%; an idle one says it has not trained', () => {
  const state = trainingState(2345, 9000);
  applyEvent(state, { type: 'trainEnd', reason: 'completed', epochsCompleted: 5, seconds: 61, samplesPerSecond: 9000 });
  assert.deepEqual(progressInfo(state), { percent: 100, text: 'completed in 1 min 01 s, 5 epochs' });
  assert.equal(progressInfo(initialRunState()).text, 'Not trained yet.');
});

test('histogram bars on a linear scale (weights): the fullest bin reaches the top, an empty one is flat', () => {
  const bars = histogramBars([2, 4, 0, 1], 100, 50, { scale: 'linear' });
  assert.deepEqual(
    bars.map((b) => b.height),
    [25, 50, 0, 13],
  );
  assert.deepEqual(
    bars.map((b) => b.x),
    [0, 25, 50, 75],
  );
});

test('the scrubber shows the chosen frame, else the newest; holes are not frames', () => {
  const weights = [0, 1, 2].map((epoch) => ({ epoch, tensors: [] }));
  assert.equal(shownFrame(weights, null), 2);
  assert.equal(shownFrame(weights, 0), 0);
  assert.equal(shownFrame(weights, 7), 2);
  assert.equal(shownFrame([], null), null);
  // The gradients' array is indexed by epoch from 1: its hole at 0 comes through JSON as null.
  const gradients = [null, { tensors: [] }, undefined, { tensors: [] }];
  assert.equal(shownFrame(gradients, 0), 3);
  assert.equal(shownFrame(gradients, 1), 1);
  assert.equal(shownFrame([null], null), null);
});

test('the backend line names the threads once a run has started: "wasm, 1 thread", "tensorflow, 2 threads"', () => {
  const state = initialRunState();
  assert.equal(backendText(state), '—');
  applyEvent(state, { type: 'backend', backend: 'wasm', detail: 'wasm (SIMD)' });
  assert.equal(backendText(state), 'wasm');
  startRun(state, 1);
  assert.equal(backendText(state), 'wasm, 1 thread');
  applyEvent(state, { type: 'backend', backend: 'tensorflow', detail: 'tensorflow (native TensorFlow 2.21.0)' });
  startRun(state, 2);
  assert.equal(backendText(state), 'tensorflow, 2 threads');
});

test('the backend line offers Install Native TensorFlow… while the run is on wasm, and only then', () => {
  const state = initialRunState();
  assert.equal(offersNativeInstall(state), false, 'no backend yet');
  // A model only loaded or predicted with runs on wasm even where native TensorFlow is installed.
  applyEvent(state, { type: 'backend', backend: 'wasm', detail: 'wasm (SIMD)' });
  assert.equal(offersNativeInstall(state), false, 'no run yet');
  startRun(state);
  assert.equal(offersNativeInstall(state), true);
  applyEvent(state, { type: 'backend', backend: 'tensorflow', detail: 'tensorflow (native TensorFlow 2.21.0)' });
  assert.equal(offersNativeInstall(state), false);
  applyEvent(state, { type: 'backend', backend: 'cpu', detail: 'cpu (pure JavaScript)' });
  assert.equal(offersNativeInstall(state), false);
});
