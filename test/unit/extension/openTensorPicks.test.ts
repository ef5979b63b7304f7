// The Open Tensor… picker: Tensor Lens' own tensors, then the followed Keras run's weights under a
// separator that names the run, each opening the inspector on the Keras weight (as the tree's click
// does). Built on a real fixture run read by the real reader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { KerasRun } from '../../../src/extension/kerasRuns';
import { openTensorPicks } from '../../../src/extension/openTensorPicks';
import { readRun } from '../../../src/shared/node/runFiles';
import { copyFixtures, runFolder } from '../../support/kerasRuns';
import { bundleKo, englishL10n as english, koreanL10n as korean } from '../../support/l10nBundles';

const OWN = [
  { name: 'train_images', description: 'uint8 [60000, 28, 28]' },
  { name: 'dense/kernel', description: 'float32 [784, 512]' },
];

async function followed(): Promise<KerasRun> {
  const base = copyFixtures('open-tensor-picks');
  const read = await readRun(runFolder(base, 'conv-jax'), base);
  return { ...read, fault: null, snapshot: null, history: [] };
}

test("without a followed Keras run: Tensor Lens' own tensors only, as before", () => {
  assert.deepEqual(openTensorPicks(OWN, undefined, english), [
    {
      kind: 'tensor',
      label: 'train_images',
      description: 'uint8 [60000, 28, 28]',
      tensor: { source: 'tensorLens', name: 'train_images' },
    },
    {
      kind: 'tensor',
      label: 'dense/kernel',
      description: 'float32 [784, 512]',
      tensor: { source: 'tensorLens', name: 'dense/kernel' },
    },
  ]);
});

test("a followed Keras run: its weights after Tensor Lens' own, under a separator naming the run, each a Keras TensorRef", async () => {
  const run = await followed();
  const runId = path.basename(run.folder);
  const picks = openTensorPicks(OWN, run, english);
  assert.deepEqual(
    picks.slice(0, 2).map((p) => p.label),
    ['train_images', 'dense/kernel'],
  );
  assert.deepEqual(picks[2], { kind: 'separator', label: 'Keras · conv-jax' });
  assert.deepEqual(picks.slice(3), [
    {
      kind: 'tensor',
      label: 'sequential/conv2d/kernel',
      description: 'float32 [3, 3, 1, 4]',
      tensor: { source: 'keras', runId, name: 'sequential/conv2d/kernel' },
    },
    {
      kind: 'tensor',
      label: 'sequential/conv2d/bias',
      description: 'float32 [4]',
      tensor: { source: 'keras', runId, name: 'sequential/conv2d/bias' },
    },
    {
      kind: 'tensor',
      label: 'sequential/dense/kernel',
      description: 'float32 [36, 3]',
      tensor: { source: 'keras', runId, name: 'sequential/dense/kernel' },
    },
    {
      kind: 'tensor',
      label: 'sequential/dense/bias',
      description: 'float32 [3]',
      tensor: { source: 'keras', runId, name: 'sequential/dense/bias' },
    },
  ]);
  // The same weights, in the same order, as the run's header names them (what the tree lists).
  assert.deepEqual(
    picks.slice(3).map((p) => p.label),
    run.summary.header?.model.weights.map((w) => w.name),
  );
  assert.deepEqual(openTensorPicks(OWN, run, korean)[2], {
    kind: 'separator',
    label: bundleKo['Keras · {0}'].replace('{0}', 'conv-jax'),
  });
});

test('a followed run whose header names no weight yet (or is unreadable before its header) adds no empty group', async () => {
  const run = await followed();
  const bare: KerasRun = { ...run, summary: { ...run.summary, header: null } };
  assert.equal(openTensorPicks(OWN, bare, english).length, 2);
});
