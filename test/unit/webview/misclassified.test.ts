import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { evaluateProbabilities } from '../../../src/shared/evaluation';
import { loadMnist } from '../../../src/trainer/mnistLoader';
import type { WebviewToHost } from '../../../src/shared/webviewProtocol';
import { GALLERY_SIZE, MisclassifiedGallery } from '../../../src/webview/dashboard/misclassified';
import { sampleDetailNodes } from '../../../src/webview/dataset/sampleDetail';
import type { Palette } from '../../../src/webview/common/theme';
import { installDom } from './dom';

const grey: Palette['foreground'] = [128, 128, 128, 1];
const palette: Palette = {
  foreground: grey,
  muted: grey,
  background: grey,
  grid: grey,
  series: [grey, grey, grey, grey],
  negative: grey,
  positive: grey,
  error: grey,
};
const labels = loadMnist().test.labels;

/** The real test labels, with the model wrong on every 7th sample (it reads label + 1). */
function evaluation() {
  const probabilities = new Float32Array(labels.length * 10);
  labels.forEach((label, i) => (probabilities[i * 10 + (i % 7 === 0 ? (label + 1) % 10 : label)] = 1));
  return evaluateProbabilities(probabilities, labels);
}

before(() => installDom());

test('the gallery shows the first mistakes and asks the host for each one’s image', () => {
  const posted: WebviewToHost[] = [];
  const root = document.createElement('div');
  const gallery = new MisclassifiedGallery(root, (m) => posted.push(m));
  const ev = evaluation();
  gallery.show(ev, palette);
  const tiles = [...root.querySelectorAll<HTMLElement>('.digit-tile')];
  assert.equal(tiles.length, GALLERY_SIZE);
  assert.deepEqual(
    tiles.slice(0, 3).map((t) => t.dataset.index),
    ['0', '7', '14'],
  );
  assert.deepEqual(posted[1], { type: 'requestSamples', split: 'test', start: 7, count: 1 });
  assert.equal(posted.length, GALLERY_SIZE);
  assert.match(root.textContent ?? '', new RegExp(`and ${ev.misclassified.length - GALLERY_SIZE} more`));
});

test('an arriving sample with its label captions the tile "true → predicted"', () => {
  const root = document.createElement('div');
  const gallery = new MisclassifiedGallery(root, () => {});
  gallery.show(evaluation(), palette);
  gallery.receive(7, 1, new Uint8Array(784), labels.slice(7, 8), palette);
  const caption = root.querySelector('.digit-tile[data-index="7"] figcaption');
  assert.equal(caption?.textContent, `${labels[7]} → ${(labels[7] + 1) % 10}`);
  assert.match(root.querySelector('.digit-tile[data-index="14"] figcaption')?.textContent ?? '', /^#14: predicted/);
});

test('a mistake opens its explanation: a click or Enter on a gallery tile, the Why? button in the dataset detail', () => {
  const posted: WebviewToHost[] = [];
  const root = document.createElement('div');
  const gallery = new MisclassifiedGallery(root, (m) => posted.push(m));
  gallery.show(evaluation(), palette);
  posted.length = 0;
  root.querySelector<HTMLElement>('.digit-tile[data-index="7"]')?.click();
  root
    .querySelector<HTMLElement>('.digit-tile[data-index="14"]')
    ?.dispatchEvent(new window.KeyboardEvent('keydown', { key: 'Enter' }));
  assert.deepEqual(posted, [
    { type: 'explainMistake', index: 7 },
    { type: 'explainMistake', index: 14 },
  ]);

  const asked: number[] = [];
  const pixels = new Uint8Array(784);
  const wrong = sampleDetailNodes({ split: 'test', index: 7, label: 3, predicted: 5, pixels }, palette, (index) =>
    asked.push(index),
  );
  const pane = document.createElement('div');
  pane.append(...wrong);
  pane.querySelector<HTMLElement>('#explain-mistake')?.click();
  assert.deepEqual(asked, [7]);
  const right = document.createElement('div');
  right.append(...sampleDetailNodes({ split: 'test', index: 8, label: 5, predicted: 5, pixels }, palette, () => {}));
  assert.equal(right.querySelector('#explain-mistake'), null, 'no button when the model was right');
});
