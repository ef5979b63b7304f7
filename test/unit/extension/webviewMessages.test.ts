// parseWebviewMessage: a webview is untrusted input; only exact, in-range messages get through.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_EXPORT_CHARS,
  MAX_INDEX,
  MAX_SAMPLES_PER_REQUEST,
  MAX_TENSOR_NAME_LENGTH,
  parseWebviewMessage,
} from '../../../src/shared/webviewProtocol';

const VALID = [
  { type: 'ready' },
  { type: 'command', command: 'train' },
  { type: 'command', command: 'stop' },
  { type: 'command', command: 'evaluate' },
  { type: 'command', command: 'showDashboard' },
  { type: 'command', command: 'step' },
  { type: 'command', command: 'pause' },
  { type: 'command', command: 'resume' },
  { type: 'openTensor', name: 'gradient/dense/kernel' },
  { type: 'explainMistake', index: 8 },
  { type: 'requestSamples', split: 'train', start: 0, count: 1 },
  { type: 'requestSamples', split: 'test', start: 9999, count: MAX_SAMPLES_PER_REQUEST },
  { type: 'requestTensor', name: 'train_images', sliceIndex: 4 },
  { type: 'requestTensor', name: 'dense/kernel', sliceIndex: null },
  { type: 'openTensor', name: 'dense_1/bias' },
  { type: 'exportChart', format: 'png', name: 'mnist-runs-loss', data: 'data:image/png;base64,iVBORw0KGgo=' },
  { type: 'exportChart', format: 'csv', name: 'mnist batch loss.v2', data: 'step,loss\r\n1,2.3\r\n' },
];

test('every well-formed message passes unchanged', () => {
  for (const message of VALID)
    assert.deepEqual(parseWebviewMessage(structuredClone(message)), message, JSON.stringify(message));
});

test('not an object, or no known type: refused', () => {
  for (const raw of [
    null,
    undefined,
    0,
    'ready',
    true,
    [],
    [{ type: 'ready' }],
    {},
    { type: 7 },
    { type: 'READY' },
    { type: 'launch' },
    { type: 'toString' },
    { type: '__proto__' },
  ]) {
    assert.equal(parseWebviewMessage(raw), null, JSON.stringify(raw));
  }
});

test('missing fields, wrong field types and unknown commands: refused', () => {
  const bad = [
    { type: 'command' },
    { type: 'command', command: 'rm -rf' },
    { type: 'command', command: ['train'] },
    { type: 'requestSamples', split: 'train', start: 0 },
    { type: 'requestSamples', split: 'validation', start: 0, count: 1 },
    { type: 'requestSamples', split: 'train', start: '0', count: 1 },
    { type: 'requestTensor', name: 'dense/kernel' },
    { type: 'requestTensor', sliceIndex: 0 },
    { type: 'requestTensor', name: 42, sliceIndex: null },
    { type: 'requestTensor', name: 'dense/kernel', sliceIndex: '3' },
    { type: 'openTensor' },
    { type: 'openTensor', name: '' },
    { type: 'explainMistake', index: -1 },
    { type: 'explainMistake', index: '8' },
    { type: 'explainMistake' },
    // Exports: only a PNG data URL as a picture, only a plain file name (no folders), a bounded size.
    { type: 'exportChart', format: 'svg', name: 'chart', data: 'x' },
    { type: 'exportChart', format: 'png', name: 'chart', data: 'data:text/html;base64,PHNjcmlwdD4=' },
    { type: 'exportChart', format: 'png', name: 'chart', data: 'data:image/png;base64,<script>' },
    { type: 'exportChart', format: 'csv', name: '../../.bashrc', data: 'x' },
    { type: 'exportChart', format: 'csv', name: '/etc/passwd', data: 'x' },
    { type: 'exportChart', format: 'csv', name: '.hidden', data: 'x' },
    { type: 'exportChart', format: 'csv', name: 'chart', data: '' },
    { type: 'exportChart', format: 'csv', name: 'chart', data: 'x'.repeat(MAX_EXPORT_CHARS + 1) },
    { type: 'exportChart', format: 'csv', name: 'chart' },
  ];
  for (const raw of bad) assert.equal(parseWebviewMessage(raw), null, JSON.stringify(raw));
});

test('out-of-range numbers and huge counts: refused', () => {
  const bad = [
    { type: 'requestSamples', split: 'train', start: -1, count: 1 },
    { type: 'requestSamples', split: 'train', start: 0.5, count: 1 },
    { type: 'requestSamples', split: 'train', start: 0, count: 0 },
    { type: 'requestSamples', split: 'train', start: 0, count: MAX_SAMPLES_PER_REQUEST + 1 },
    { type: 'requestSamples', split: 'train', start: 0, count: 1e9 },
    { type: 'requestSamples', split: 'train', start: MAX_INDEX + 1, count: 1 },
    { type: 'requestSamples', split: 'train', start: Number.NaN, count: 1 },
    { type: 'requestSamples', split: 'train', start: Infinity, count: 1 },
    { type: 'requestTensor', name: 'train_images', sliceIndex: -1 },
    { type: 'requestTensor', name: 'train_images', sliceIndex: 1.5 },
    { type: 'requestTensor', name: 'x'.repeat(MAX_TENSOR_NAME_LENGTH + 1), sliceIndex: null },
  ];
  for (const raw of bad) assert.equal(parseWebviewMessage(raw), null, JSON.stringify(raw).slice(0, 120));
});

test('extra garbage next to a valid message: refused', () => {
  for (const message of VALID) {
    assert.equal(parseWebviewMessage({ ...message, extra: 1 }), null, `${message.type} + extra`);
    assert.equal(
      parseWebviewMessage({ ...message, __proto__: { polluted: true }, constructor: 'x' }),
      null,
      `${message.type} + constructor`,
    );
  }
});
