// Each panel's layout returns the elements its view writes to. Every one of them has to be part of
// the page the layout builds (a returned element left out of the tree would take the view's writes
// where nobody sees them), under the one id the UI tests find it by.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { dashboardLayout } from '../../../src/webview/dashboard/layout';
import { datasetLayout } from '../../../src/webview/dataset/datasetView';
import { drawLayout } from '../../../src/webview/draw/drawView';
import { mistakeLayout } from '../../../src/webview/mistake/mistakeView';
import { predictionLayout } from '../../../src/webview/prediction/predictionView';
import { runsLayout } from '../../../src/webview/runs/runsView';
import { tensorLayout } from '../../../src/webview/tensor/tensorView';
import { installDom } from './dom';

before(() => installDom());

/** The record's elements (a chart's box and canvas count as two), by their key in the record. */
function elementsOf(record: object): [string, HTMLElement][] {
  return Object.entries(record).flatMap(([key, value]): [string, HTMLElement][] =>
    value instanceof window.HTMLElement
      ? [[key, value as HTMLElement]]
      : Object.entries(value as object).map(([part, element]) => [`${key}.${part}`, element as HTMLElement]),
  );
}

/** Mounts `roots` as the page and checks every returned element is in it, found by its id. */
function assertAllInPage(roots: HTMLElement[], record: object, expected: number): void {
  document.body.replaceChildren(...roots);
  const elements = elementsOf(record);
  assert.equal(elements.length, expected);
  for (const [key, element] of elements) {
    assert.ok(document.body.contains(element), `${key} is in the page`);
    assert.notEqual(element.id, '', `${key} has an id`);
    assert.equal(document.getElementById(element.id), element, `#${element.id} is ${key}`);
  }
}

test('the dashboard layout returns its 37 elements, each in the page under its id', () => {
  const layout = dashboardLayout(0.6);
  const { root, ...elements } = layout;
  assertAllInPage([root], elements, 37);
  assert.equal(layout.smoothing.value, '0.6');
  assert.equal(layout.loss.container.dataset.points, '0');
  assert.equal(layout.loss.canvas.parentElement, layout.loss.container);
});

test('the prediction layout returns its 14 elements, each in the page under its id', () => {
  const layout = predictionLayout();
  assertAllInPage([layout.noModel, layout.result], layout, 14);
});

test('the mistake layout returns its 8 elements, each in the page under its id', () => {
  const layout = mistakeLayout();
  assertAllInPage([layout.waiting, layout.content], layout, 8);
});

test('the Runs layout returns its 10 elements, each in the page under its id, and its 2 cards', () => {
  const layout = runsLayout();
  // A card has no id of its own: the chart's title names it.
  const { card: lossCard, ...loss } = layout.loss;
  const { card: accuracyCard, ...accuracy } = layout.accuracy;
  assertAllInPage([layout.waiting, layout.content], { ...layout, loss, accuracy }, 10);
  assert.ok(layout.content.contains(lossCard) && layout.content.contains(accuracyCard));
});

test('the tensor layout returns its 17 elements, each in the page under its id', () => {
  const { nodes, ...elements } = tensorLayout();
  assertAllInPage(nodes, elements, 17);
});

test('the drawing pad layout returns its 10 elements, each in the page under its id', () => {
  const { nodes, ...elements } = drawLayout();
  assertAllInPage(nodes, elements, 10);
});

test('the dataset layout returns its 6 elements, each in the page under its id', () => {
  const { toolbar, body, ...elements } = datasetLayout();
  assertAllInPage([toolbar, body], elements, 6);
});
