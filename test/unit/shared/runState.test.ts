import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_TRAIN_CONFIG } from '../../../src/shared/protocol';
import { applyEvent, initialRunState } from '../../../src/shared/runState';

// (The defaults themselves are tied to the manifest by test/unit/extension/settings.test.ts; a test
// comparing them with the same literals again could only detect a change, not a fault.)

/** A one-batch run of 100 samples starting. */
const START = {
  type: 'trainStart',
  config: DEFAULT_TRAIN_CONFIG,
  threads: 1,
  trainSamples: 100,
  valSamples: 0,
  batchesPerEpoch: 1,
} as const;

test('run state: a new run clears the previous history, batches accumulate', () => {
  const s = initialRunState();
  applyEvent(s, START);
  applyEvent(s, {
    type: 'batches',
    points: [{ epoch: 0, batch: 0, step: 1, loss: 2, accuracy: 0.1 }],
    samplesPerSecond: 10,
  });
  applyEvent(s, {
    type: 'batches',
    points: [{ epoch: 0, batch: 1, step: 2, loss: 1, accuracy: 0.5 }],
    samplesPerSecond: 20,
  });
  assert.equal(s.batches.length, 2);
  assert.equal(s.samplesPerSecond, 20);
  assert.equal(s.status, 'training');
  applyEvent(s, { type: 'trainEnd', reason: 'stopped', epochsCompleted: 0, seconds: 1, samplesPerSecond: 20 });
  assert.equal(s.status, 'stopped');
  applyEvent(s, START);
  assert.equal(s.batches.length, 0);
  assert.equal(s.end, null);
});

test('run state: Pause and Step are part of the run; an error answering a request does not fail the run', () => {
  const s = initialRunState();
  const start = { ...START, trainSamples: 128 };
  applyEvent(s, start);
  applyEvent(s, { type: 'paused', paused: true });
  assert.equal(s.paused, true);
  const report = {
    epoch: 1,
    batch: 0,
    step: 1,
    images: new Uint8Array(784),
    labels: new Uint8Array([7]),
    lossBefore: 2.3,
    lossAfter: 2.1,
    accuracyBefore: 0,
    accuracyAfter: 1,
    tensors: [],
  };
  applyEvent(s, { type: 'step', requestId: 4, report });
  assert.equal(s.lastStep, report);
  // A refused step (or any request's error) is that request's answer, not the run's end.
  applyEvent(s, { type: 'error', requestId: 5, fault: { kind: 'busyAnotherStep' } });
  assert.equal(s.status, 'training');
  assert.equal(s.paused, true);
  applyEvent(s, { type: 'error', requestId: null, fault: { kind: 'other', message: 'training diverged' } });
  assert.equal(s.status, 'failed');
  assert.equal(s.paused, false);
  applyEvent(s, start);
  assert.equal(s.lastStep, null, "a new run forgets the last run's step");
});
