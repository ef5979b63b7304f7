// The inspector on a conv kernel [kh, kw, in, out] of a Keras run: its input-channel picker, every
// filter of the channel as a kh×kw image, the cursor's value named by its full index, the slice it
// asks the host for; and a weight whose values no snapshot keeps, shown by its statistics with one line.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { TensorPayload } from '../../../src/shared/webviewProtocol';
import { matrixDims, sliceValues } from '../../../src/shared/tensorSlice';
import { TensorView } from '../../../src/webview/tensor/tensorView';
import { installDom } from './dom';
import { rasterCanvasAdapter } from './rasterCanvas';

let window: ReturnType<typeof installDom>;
const posted: unknown[] = [];
const saved: unknown[] = [];

before(() => {
  window = installDom({ canvasAdapter: rasterCanvasAdapter() });
  Object.assign(globalThis, {
    acquireVsCodeApi: () => ({
      postMessage: (m: unknown) => posted.push(m),
      getState: () => saved.at(-1),
      setState: (s: unknown) => saved.push(s),
    }),
    getComputedStyle: (element: Element) => window.getComputedStyle(element as never),
    MutationObserver: window.MutationObserver,
  });
});

const SHAPE = [3, 3, 2, 4];
const REF = { source: 'keras', runId: '20261206T050445Z-conv-jax-2f9aa9', name: 'sequential/conv2d/kernel' } as const;
/** kernel[y, x, c, o] = 1000y + 100x + 10c + o − 1111, so every value says where it is (and some are negative). */
const WHOLE = Float32Array.from({ length: 72 }, (_, i) => {
  const [y, x, c, o] = [Math.floor(i / 24), Math.floor(i / 8) % 3, Math.floor(i / 4) % 2, i % 4];
  return 1000 * y + 100 * x + 10 * c + o - 1111;
});

function payload(sliceIndex: number, values: Float32Array | null, snapshot: TensorPayload['snapshot']): TensorPayload {
  return {
    ref: REF,
    shape: SHAPE,
    dtype: 'float32',
    sliceIndex,
    values,
    summary: {
      stats: { count: 72, min: -1111, max: 1102, mean: 0, std: 1, zeroFraction: 0, nanCount: 0, infCount: 0 },
      histogram: { min: -1111, max: 1102, counts: [10, 20, 30, 12] },
    },
    snapshot,
  };
}

const send = (tensor: TensorPayload) =>
  window.dispatchEvent(new window.MessageEvent('message', { data: { type: 'tensor', tensor } }));
const text = (id: string) => document.getElementById(id)?.textContent ?? '';

test('a conv kernel opens on an input channel with every filter as a kh×kw image, the cursor naming kernel[y, x, c, o]', () => {
  // A dark theme's colours, as VS Code sets them on the body: blue for negative weights, red for positive.
  for (const [name, value] of Object.entries({
    foreground: '#cccccc',
    'editor-background': '#1f1f1f',
    'charts-blue': '#3794ff',
    'charts-red': '#f14c4c',
  }))
    document.body.style.setProperty(`--vscode-${name}`, value);
  const root = document.createElement('div');
  document.body.replaceChildren(root);
  new TensorView(root);
  send(payload(1, sliceValues(WHOLE, SHAPE, 1), { kind: 'values', index: 5, epoch: 2, step: 18, reason: 'epoch' }));

  assert.equal(text('tensor-title'), 'sequential/conv2d/kernel float32 [3, 3, 2, 4]');
  assert.match(text('tensor-source'), /snapshot 5 of the Keras run 20261206T050445Z-conv-jax-2f9aa9 \(18 batches/);
  assert.equal(document.getElementById('slice-row')?.hidden, false);
  assert.equal(text('slice-label').trim(), 'Input channel');
  const picker = document.getElementById('slice-picker') as HTMLInputElement;
  assert.equal(picker.max, '1');
  assert.equal(picker.value, '1');
  assert.match(text('slice-range'), /sequential\/conv2d\/kernel\[:, :, 1\]/);

  assert.equal(document.getElementById('unit-filters-section')?.hidden, false);
  assert.equal(text('unit-filters-title'), 'Every filter, on input channel 1');
  const filters = [...document.querySelectorAll('#unit-filters canvas')] as HTMLCanvasElement[];
  assert.equal(filters.length, 4, 'one image per filter');
  for (const canvas of filters) assert.deepEqual([canvas.width, canvas.height], [3, 3]);
  assert.equal(filters[2].getAttribute('aria-label'), 'Filter 2, weights on input channel 1');
  // Filter 3's image: the most positive weight (kernel[2, 2, 1, 3]) is its bottom-right pixel, and
  // the most negative (kernel[0, 0, 1, 3]) its top-left, at the two ends of the diverging scale.
  const ctx = filters[3].getContext('2d');
  assert.ok(ctx);
  const [r0, , b0] = ctx.getImageData(0, 0, 1, 1).data;
  const [r8, , b8] = ctx.getImageData(2, 2, 1, 1).data;
  assert.ok(b0 > r0, `top-left ${r0}/${b0} is blue (negative)`);
  assert.ok(r8 > b8, `bottom-right ${r8}/${b8} is red (positive)`);

  const heatmap = document.getElementById('tensor-heatmap') as HTMLCanvasElement;
  assert.deepEqual([heatmap.height, heatmap.width], matrixDims(SHAPE), '9 kernel positions × 4 filters');
  heatmap.dispatchEvent(new window.FocusEvent('focus') as unknown as Event);
  for (const key of ['ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowRight', 'ArrowRight'])
    heatmap.dispatchEvent(new window.KeyboardEvent('keydown', { key }) as unknown as Event);
  // Drawn cell [4, 2]: position 4 = (y 1, x 1), filter 2, on channel 1: 1000 + 100 + 10 + 2 − 1111 = 1.
  assert.equal(text('value-under-pointer'), 'sequential/conv2d/kernel[1, 1, 1, 2] = 1');

  posted.length = 0;
  picker.value = '0';
  picker.dispatchEvent(new window.Event('change') as unknown as Event);
  assert.deepEqual(posted, [{ type: 'requestTensor', tensor: REF, sliceIndex: 0 }]);
  picker.value = '2';
  picker.dispatchEvent(new window.Event('change') as unknown as Event);
  assert.equal(posted.length, 1, 'a channel the kernel does not have is not asked for');
  assert.deepEqual(
    (saved.at(-1) as { shows: unknown }).shows,
    { tensor: REF, sliceIndex: 1 },
    'a reload brings back the run and the channel',
  );
});

test('a weight no snapshot keeps: one line saying so, its statistics and histogram, no heatmap or filters', () => {
  const root = document.createElement('div');
  document.body.replaceChildren(root);
  new TensorView(root);
  send(payload(0, null, { kind: 'tooLarge', limit: 16 }));
  assert.equal(
    text('tensor-source'),
    'No snapshot of this run keeps these values: the weight has 72 elements, more than the 16 a snapshot keeps. Its statistics and histogram are below.',
  );
  assert.match(text('tensor-stats'), /^72 values · mean 0/);
  assert.equal(document.getElementById('heatmap-card')?.hidden, true);
  assert.equal(document.getElementById('unit-filters-section')?.hidden, true);
  assert.equal(document.getElementById('slice-row')?.hidden, true);
  assert.match(text('histogram-range'), /4 bins/);
});
