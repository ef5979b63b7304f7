import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PreprocessStage } from '../../../src/shared/preprocess';
import { renderSteps, showOriginal, stepCaption, stepRgba } from '../../../src/webview/prediction/steps';
import { installDom } from './dom';
import { rasterCanvasAdapter } from './rasterCanvas';

const grey: PreprocessStage = { name: 'ink', width: 2, height: 1, channels: 1, pixels: Uint8Array.from([0, 200]) };

test('stepRgba: grey steps spread over RGB and opaque; RGBA steps pass through', () => {
  assert.deepEqual(Array.from(stepRgba(grey)), [0, 0, 0, 255, 200, 200, 200, 255]);
  const colour: PreprocessStage = {
    ...grey,
    name: 'original',
    channels: 4,
    width: 1,
    pixels: Uint8Array.from([9, 8, 7, 6]),
  };
  assert.deepEqual(Array.from(stepRgba(colour)), [9, 8, 7, 6]);
});

test('renderSteps: one captioned, labelled canvas per step, in pipeline order', () => {
  installDom();
  const strip = document.createElement('div');
  const steps: PreprocessStage[] = (['original', 'normalised', 'ink', 'digit', 'input'] as const).map((name) => ({
    ...grey,
    name,
  }));
  renderSteps(strip, steps);
  const canvases = [...strip.querySelectorAll('canvas')];
  assert.deepEqual(
    canvases.map((c) => c.dataset.step),
    ['original', 'normalised', 'ink', 'digit', 'input'],
  );
  assert.deepEqual(
    [...strip.querySelectorAll('figcaption')].map((c) => c.textContent),
    steps.map((s) => stepCaption(s.name)),
  );
  assert.match(canvases[4].getAttribute('aria-label') ?? '', /28×28 input, 2 by 1 pixels/);
});

test('showOriginal: the picture beside the input is the original step, pixel for pixel; hidden without one', () => {
  installDom({ canvasAdapter: rasterCanvasAdapter() });
  const canvas = document.createElement('canvas');
  const original: PreprocessStage = {
    name: 'original',
    width: 3,
    height: 2,
    channels: 4,
    pixels: Uint8Array.from({ length: 24 }, (_, i) => (i % 4 === 3 ? 255 : 10 * i)),
  };
  showOriginal(canvas, [original, grey]);
  assert.equal(canvas.hidden, false);
  assert.deepEqual([canvas.width, canvas.height], [3, 2]);
  const drawn = canvas.getContext('2d')?.getImageData(0, 0, 3, 2).data;
  assert.deepEqual(Array.from(drawn ?? []), Array.from(original.pixels));
  showOriginal(canvas, [grey]);
  assert.equal(canvas.hidden, true);
});
