import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { evaluateProbabilities } from '../../../src/shared/evaluation';
import {
  MIN_EPOCHS_TO_JUDGE,
  confusionCells,
  gapSentence,
  renderAccuracies,
  renderConfusion,
} from '../../../src/webview/dashboard/evaluation';
import { dashboardLayout } from '../../../src/webview/dashboard/layout';
import { darkPalette } from '../../support/palette';
import { installDom } from './dom';

const palette = darkPalette;

/** Eight samples: labels 0,0,0,1,1,2,2,2; the model reads one 0 as 2 and one 2 as 1. */
function evaluationOf() {
  const labels = [0, 0, 0, 1, 1, 2, 2, 2];
  const predicted = [0, 0, 2, 1, 1, 2, 1, 2];
  const probabilities = new Float32Array(labels.length * 10);
  predicted.forEach((p, i) => (probabilities[i * 10 + p] = 1));
  return evaluateProbabilities(probabilities, labels);
}

before(() => installDom());

/** A run of `epochs` whose trained model scores `accuracy` on its 60,000 training digits. */
const measured = (accuracy: number, epochs = 5) => ({ loss: 0.05, accuracy, samples: 60000, epochs });

test('the gap is named overfitting when test accuracy is below the measured train accuracy', () => {
  assert.match(
    gapSentence({ train: measured(0.989), testAccuracy: 0.979 }),
    /test accuracy is a little lower than train accuracy.*1\.00 percentage points.*overfitting/i,
  );
  assert.doesNotMatch(gapSentence({ train: measured(0.97), testAccuracy: 0.98 }), /overfitting —/);
});

test('the sentence follows the size of the gap: a tiny one is no overfitting, a wide one is not "a little"', () => {
  const tiny = gapSentence({ train: measured(0.9801), testAccuracy: 0.98 });
  assert.doesNotMatch(tiny, /overfitting —/, 'a 0.01-point gap is noise');
  assert.match(tiny, /about the same/i);
  const wide = gapSentence({ train: measured(0.99), testAccuracy: 0.9 });
  assert.doesNotMatch(wide, /a little/);
  assert.match(wide, /much lower.*9\.00 percentage points.*overfit/i);
});

test(`a run shorter than ${MIN_EPOCHS_TO_JUDGE} epochs, or no measured train accuracy, says nothing about overfitting`, () => {
  for (const sentence of [
    gapSentence({ train: measured(0.99, 1), testAccuracy: 0.95 }),
    gapSentence({ train: null, testAccuracy: 0.95 }),
  ]) {
    assert.match(sentence, /nothing is said about overfitting/i);
    assert.doesNotMatch(sentence, /sign of overfitting|is overfitting —|overfits/i);
  }
});

test('after a short run the dashboard shows the measured train accuracy, labelled, beside the running mean, and no verdict', () => {
  // Numbers of a real 1-epoch run of the book's setup (wasm, seed 1): Keras' running mean of the epoch
  // 92.39 %, the trained model on its 60,000 training digits 95.975 %, on the test set 95.60 %.
  const target = document.createElement('div');
  target.append(...dashboardLayout(0).accuracies.childNodes);
  const evaluation = {
    ...evaluationOf(),
    testAccuracy: 0.956,
    train: { loss: 0.1356, accuracy: 0.95975, samples: 60000, epochs: 1 },
  };
  const lastEpoch = {
    epoch: 1,
    epochs: 1,
    loss: 0.2625,
    accuracy: 0.92393,
    valLoss: null,
    valAccuracy: null,
    seconds: 19,
    samplesPerSecond: 3113,
  };
  renderAccuracies(target, evaluation, [lastEpoch]);
  const text = (id: string) => target.querySelector(`#${id}`)?.textContent ?? '';
  assert.equal(text('train-accuracy'), '95.97%', 'the measured number, not the running mean');
  assert.match(target.textContent ?? '', /train accuracy, measured after training/);
  assert.match(text('train-accuracy-note'), /60,000 training digits after its last epoch/);
  assert.match(text('train-accuracy-note'), /running mean, as Keras prints it.*92\.39%/);
  assert.doesNotMatch(text('accuracy-gap'), /no sign of overfitting/i, 'the old verdict after one epoch');
  assert.match(text('accuracy-gap'), /nothing is said about overfitting after 1 epoch/i);
});

test('confusion cells carry the count and the share of the true class', () => {
  const cells = confusionCells(evaluationOf().confusion);
  assert.equal(cells[0][0].count, 2);
  assert.equal(cells[0][2].count, 1);
  assert.ok(Math.abs(cells[0][0].fraction - 2 / 3) < 1e-12);
  assert.equal(cells[2][1].count, 1);
  assert.equal(cells[5][5].fraction, 0, 'a class with no samples has no heat');
});

test('the confusion table: 10 rows × (label, 10 cells, accuracy), diagonal marked, per-class accuracy', () => {
  const table = document.createElement('table');
  renderConfusion(table, evaluationOf(), palette);
  const rows = [...table.querySelectorAll('tbody tr')];
  assert.equal(rows.length, 10);
  for (const row of rows) assert.equal(row.children.length, 12);
  const cell = table.querySelector<HTMLElement>('td[data-actual="0"][data-predicted="2"]')!;
  assert.equal(cell.textContent, '1');
  assert.equal(cell.getAttribute('aria-label'), 'true 0, predicted 2: 1');
  assert.equal(table.querySelectorAll('td.diagonal').length, 10);
  assert.deepEqual(
    rows.slice(0, 3).map((r) => r.children[11].textContent),
    ['66.7%', '100.0%', '66.7%'],
  );
  // Heat: the fuller cell is further from the background than the emptier one.
  const heat = (actual: number, predicted: number): string =>
    table.querySelector<HTMLElement>(`td[data-actual="${actual}"][data-predicted="${predicted}"]`)!.style
      .backgroundColor;
  assert.notEqual(heat(1, 1), heat(1, 0));
});
