import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { ModelSummary } from '../../../src/shared/protocol';
import { kerasBytes } from '../../../src/shared/format';
import { summaryText } from '../../../src/shared/modelSummaryText';
import { renderModelSummary } from '../../../src/webview/dashboard/modelSummary';
import { installDom } from './dom';

// The book's network (Deep Learning with Python, ch. 2) as Keras summarises it.
const book: ModelSummary = {
  name: 'sequential',
  layers: [
    { name: 'dense', className: 'Dense', outputShape: [null, 512], params: 784 * 512 + 512, activation: 'relu' },
    { name: 'dense_1', className: 'Dense', outputShape: [null, 10], params: 512 * 10 + 10, activation: 'softmax' },
  ],
  weights: [],
  totalParams: 407050,
  trainableParams: 407050,
};

before(() => installDom());

test('rows read like Keras: "dense (Dense)", "(None, 512)", "401,920"', () => {
  assert.deepEqual(summaryText(book).rows, [
    ['dense (Dense)', '(None, 512)', '401,920'],
    ['dense_1 (Dense)', '(None, 10)', '5,130'],
  ]);
});

test('totals with Keras byte sizes (float32, 1024-based)', () => {
  assert.deepEqual(summaryText(book).totals, [
    'Total params: 407,050 (1.55 MB)',
    'Trainable params: 407,050 (1.55 MB)',
    'Non-trainable params: 0 (0.00 B)',
  ]);
  assert.equal(kerasBytes(7850 * 4), '30.66 KB');
});

test('the #model-summary table has the three Keras columns, a row per layer and the totals in its footer', () => {
  const table = document.createElement('table');
  renderModelSummary(table, book);
  const texts = (selector: string): (string | null)[] =>
    [...table.querySelectorAll(selector)].map((c) => c.textContent);
  assert.deepEqual(texts('thead th'), ['Layer (type)', 'Output Shape', 'Param #']);
  assert.deepEqual(
    [...table.querySelectorAll('tbody tr')].map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent)),
    summaryText(book).rows,
  );
  assert.deepEqual(texts('tfoot td'), summaryText(book).totals);
  assert.equal(table.querySelector('caption')?.textContent, 'Model: "sequential"');
});

test('the caption names the model it summarises, not a fixed "sequential"', () => {
  const table = document.createElement('table');
  renderModelSummary(table, { ...book, name: 'my_mnist_net' });
  assert.equal(table.querySelector('caption')?.textContent, 'Model: "my_mnist_net"');
});

test('without a model the table says so instead of showing empty rows', () => {
  const table = document.createElement('table');
  renderModelSummary(table, null);
  assert.match(table.querySelector('tbody')?.textContent ?? '', /No model yet/);
  assert.equal(table.querySelector('tfoot'), null);
});
