import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { MNIST_PIXELS } from '../../../src/shared/mnist';
import { seededRandom } from '../../../src/shared/random';
import type { DenseWeightValues } from '../../../src/shared/denseForward';
import { PAD_SIZE, DrawView } from '../../../src/webview/draw/drawView';
import { installDom } from './dom';
import { rasterCanvasAdapter } from './rasterCanvas';

const UNITS = 512;
const CLASSES = 10;

/** Dense(512) → Dense(10) at Glorot scale, with the small mostly positive biases training leaves. */
function weights(): DenseWeightValues {
  const random = seededRandom(22);
  const uniform = (n: number, limit: number) => Float32Array.from({ length: n }, () => (random() * 2 - 1) * limit);
  const bias1 = Float32Array.from({ length: UNITS }, () => random() * 0.2 - 0.05);
  return {
    kernel1: uniform(MNIST_PIXELS * UNITS, Math.sqrt(6 / (MNIST_PIXELS + UNITS))),
    bias1,
    kernel2: uniform(UNITS * CLASSES, Math.sqrt(6 / (UNITS + CLASSES))),
    bias2: uniform(CLASSES, 0.05),
  };
}

let window: ReturnType<typeof installDom>;

before(() => {
  window = installDom({ canvasAdapter: rasterCanvasAdapter() });
  Object.assign(globalThis, {
    acquireVsCodeApi: () => ({ postMessage() {}, getState: () => undefined, setState() {} }),
    requestAnimationFrame: (callback: FrameRequestCallback) => window.requestAnimationFrame(callback),
    getComputedStyle: (element: Element) => window.getComputedStyle(element as never),
    MutationObserver: window.MutationObserver,
  });
});

/** Resolves after the view's next animation frame (the pad renders once per frame). */
const nextFrame = () => new Promise<void>((resolve) => window.requestAnimationFrame(() => resolve()));

/** The distinct colours of the hidden-unit grid's cells (one pixel from each cell's middle). */
function gridColours(): Set<string> {
  const canvas = document.getElementById('draw-hidden') as HTMLCanvasElement;
  const ctx = canvas.getContext('2d');
  assert.ok(ctx && canvas.width > 0, 'the grid is drawn');
  const cell = canvas.width / 32;
  const colours = new Set<string>();
  for (let y = cell / 2; y < canvas.height; y += cell)
    for (let x = cell / 2; x < canvas.width; x += cell) colours.add(ctx.getImageData(x, y, 1, 1).data.join(','));
  return colours;
}

function pointer(pad: HTMLCanvasElement, type: string, x: number, y: number): void {
  pad.dispatchEvent(new window.PointerEvent(type, { clientX: x, clientY: y, pointerId: 1 }) as unknown as Event);
}

test('the drawing pad lights no hidden unit until there is ink, and says so; ink lights them', async () => {
  // A dark theme's colours, as VS Code sets them on the body.
  document.body.style.setProperty('--vscode-foreground', '#cccccc');
  document.body.style.setProperty('--vscode-editor-background', '#1f1f1f');
  document.body.style.setProperty('--vscode-charts-red', '#f14c4c');
  document.body.style.setProperty('--vscode-charts-blue', '#3794ff');
  const root = document.createElement('div');
  document.body.append(root);
  new DrawView(root);
  window.dispatchEvent(new window.MessageEvent('message', { data: { type: 'drawWeights', weights: weights() } }));
  await nextFrame();

  assert.equal(gridColours().size, 1, 'an empty pad: every cell of the grid is the same, unlit colour');
  const caption = document.getElementById('draw-hidden-caption');
  assert.match(caption?.textContent ?? '', /draw/i);
  assert.match(caption?.textContent ?? '', /nothing|no ink/i, 'the grid says why it is dark');
  assert.equal(document.getElementById('draw-top')?.children.length, 0);

  const pad = document.getElementById('pad') as HTMLCanvasElement;
  pad.getBoundingClientRect = () => ({ left: 0, top: 0, width: PAD_SIZE, height: PAD_SIZE }) as DOMRect;
  pad.setPointerCapture = () => {};
  pointer(pad, 'pointerdown', 140, 60);
  pointer(pad, 'pointermove', 140, 220);
  pointer(pad, 'pointerup', 140, 220);
  await nextFrame();

  assert.ok(gridColours().size > 2, 'a stroke: the units it drives light up in different strengths');
  assert.doesNotMatch(caption?.textContent ?? '', /nothing|no ink/i, 'the caption is the grid’s usual one again');
  assert.ok((document.getElementById('draw-top')?.children.length ?? 0) > 0, 'the units behind the answer are shown');
});
