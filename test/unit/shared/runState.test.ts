import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_TRAIN_CONFIG } from '../../../src/shared/protocol';
import { applyEvent, initialRunState } from '../../../src/shared/runState';

// (The defaults themselves are tied to the manifest by test/unit/extension/settings.test.ts; a test
// comparing them with the same literals again could only detect a change, not a fault.)

test('run state: a new run clears the previous history, batches accumulate', () => {
  const s = initialRunState();
  const start = {
    type: 'trainStart',
    config: DEFAULT_TRAIN_CONFIG,
    trainSamples: 100,
    valSamples: 0,
    batchesPerEpoch: 1,
  } as const;
  applyEvent(s, start);
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
  applyEvent(s, start);
  assert.equal(s.batches.length, 0);
  assert.equal(s.end, null);
});
