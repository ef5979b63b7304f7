// The Runs panel with Keras runs beside a kept Tensor Lens run: the same axes (loss, accuracy per
// epoch), Keras' val_* as the validation lines, a run without a metric drawing no line of it, and
// its table row saying backend, epochs, state and every metric it logged. The Keras runs are the
// real fixture runs (written by the tensorlens callback) read by the shared reader.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { comparedKerasRun } from '../../../src/shared/kerasCompare';
import { readRun } from '../../../src/shared/node/runFiles';
import { parsePanelState } from '../../../src/shared/panelState';
import { DEFAULT_TRAIN_CONFIG } from '../../../src/shared/protocol';
import { RUN_RECORD_MARK, RUN_RECORD_VERSION, type RunRecord } from '../../../src/shared/runRecord';
import type { HostToWebview } from '../../../src/shared/webviewProtocol';
import { readHostMessage } from '../../../src/webview/common/hostMessages';
import { runSeries, shownRuns } from '../../../src/webview/runs/runsView';
import { copyFixtures, runFolder } from '../../support/kerasRuns';
import { installDom } from './dom';

before(() => installDom());

const kept: RunRecord = {
  mark: RUN_RECORD_MARK,
  version: RUN_RECORD_VERSION,
  id: 'run-1796500000000-0123abcd',
  startedAt: 1_796_500_000_000,
  config: { ...DEFAULT_TRAIN_CONFIG, epochs: 2, validationSplit: 0.1 },
  epochs: [1, 2].map((epoch) => ({
    epoch,
    epochs: 2,
    loss: 0.5 / epoch,
    accuracy: 0.8 + epoch / 100,
    valLoss: 0.6 / epoch,
    valAccuracy: 0.79 + epoch / 100,
    seconds: 1,
    samplesPerSecond: 1000,
  })),
  outcome: 'completed',
  evaluation: null,
};

async function message(): Promise<Extract<HostToWebview, { type: 'runs' }>> {
  const base = copyFixtures('runs-compare');
  const keras = await Promise.all(
    (['dense-tf', 'conv-jax'] as const).map(async (name) => {
      const { summary, state } = await readRun(runFolder(base, name), base);
      return { label: `Keras ${name}`, run: comparedKerasRun(summary, state) };
    }),
  );
  const other = {
    ...keras[1].run,
    id: 'mae-only',
    epochs: [{ epoch: 1, loss: null, accuracy: null, valLoss: null, valAccuracy: null }],
  };
  return {
    type: 'runs',
    runs: [{ label: 'sgd', record: kept }],
    keras: [...keras, { label: 'Keras mae', run: other }],
  };
}

test('runSeries: a kept run and Keras runs on the same axes, Keras val_* as validation, no line for a metric a run lacks', async () => {
  const shown = await message();
  const loss = runSeries(shown, 'loss');
  assert.deepEqual(
    loss.map((line) => [line.name, line.run, line.validation, line.points.length]),
    [
      ['sgd — training', 0, false, 2],
      ['sgd — validation', 0, true, 2],
      ['Keras dense-tf — training', 1, false, 3],
      ['Keras dense-tf — validation', 1, true, 3],
      ['Keras conv-jax — training', 2, false, 3],
    ],
  );
  const dense = shown.keras[0].run;
  assert.deepEqual(
    loss[3].points.map((p) => p.y),
    dense.epochs.map((e) => e.valLoss),
  );
  assert.deepEqual(
    runSeries(shown, 'accuracy')[2].points.map((p) => p.x),
    [1, 2, 3],
    "Keras' 0-based epochs on Tensor Lens' 1-based axis",
  );
});

test('readHostMessage: a runs message with its Keras runs passes; one without the list is refused', async () => {
  const shown = await message();
  assert.equal(readHostMessage(shown), shown);
  assert.equal(readHostMessage({ type: 'runs', runs: shown.runs }), null);
  assert.equal(readHostMessage({ ...shown, keras: [{ label: 'x', run: {} }] }), null);
});

test('shownRuns: what the Runs panel saves names its Keras runs too, and the host reads it back after a reload as it was', async () => {
  const shown = await message();
  const saved = shownRuns(shown);
  assert.deepEqual(saved, {
    ids: [kept.id],
    keras: shown.keras.map(({ run }) => run.id),
  });
  assert.match(saved.keras[0], /-dense-tf-/);
  // Through VS Code's JSON store to the host's serializer.
  assert.deepEqual(parsePanelState('runs', JSON.parse(JSON.stringify({ shows: saved }))), { ok: true, shows: saved });
});
