// parseWebviewMessage: a webview is untrusted input; only exact, in-range messages get through.
// describeRefusedMessage: what the log says of a refused one, in bounded work and length.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_EXPORT_CHARS,
  MAX_INDEX,
  MAX_SAMPLES_PER_REQUEST,
  MAX_TENSOR_NAME_LENGTH,
  MAX_REFUSED_DESCRIPTION_CHARS,
  describeRefusedMessage,
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
  { type: 'command', command: 'installNative' },
  { type: 'openTensor', name: 'gradient/dense/kernel' },
  { type: 'explainMistake', index: 8 },
  { type: 'requestSamples', split: 'train', start: 0, count: 1 },
  { type: 'requestSamples', split: 'test', start: 9999, count: MAX_SAMPLES_PER_REQUEST },
  { type: 'requestTensor', tensor: { source: 'tensorLens', name: 'train_images' }, sliceIndex: 4 },
  { type: 'requestTensor', tensor: { source: 'tensorLens', name: 'dense/kernel' }, sliceIndex: null },
  {
    type: 'requestTensor',
    tensor: { source: 'keras', runId: '20261206T050445Z-conv-jax-2f9aa9', name: 'sequential/conv2d/kernel' },
    sliceIndex: 0,
  },
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
    { type: 'requestTensor', tensor: { source: 'tensorLens', name: 'dense/kernel' } },
    { type: 'requestTensor', sliceIndex: 0 },
    { type: 'requestTensor', name: 'dense/kernel', sliceIndex: null },
    { type: 'requestTensor', tensor: 'dense/kernel', sliceIndex: null },
    { type: 'requestTensor', tensor: { source: 'tensorLens', name: 42 }, sliceIndex: null },
    { type: 'requestTensor', tensor: { source: 'tensorLens', name: 'dense/kernel' }, sliceIndex: '3' },
    // A Keras tensor names its run by a folder name, nothing that walks the file system.
    { type: 'requestTensor', tensor: { source: 'keras', name: 'conv2d/kernel' }, sliceIndex: 0 },
    { type: 'requestTensor', tensor: { source: 'keras', runId: '../../etc', name: 'conv2d/kernel' }, sliceIndex: 0 },
    { type: 'requestTensor', tensor: { source: 'keras', runId: '..', name: 'conv2d/kernel' }, sliceIndex: 0 },
    { type: 'requestTensor', tensor: { source: 'keras', runId: 'a\\b', name: 'conv2d/kernel' }, sliceIndex: 0 },
    { type: 'requestTensor', tensor: { source: 'torch', name: 'k' }, sliceIndex: 0 },
    { type: 'requestTensor', tensor: [], sliceIndex: 0 },
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
    { type: 'requestTensor', tensor: { source: 'tensorLens', name: 'train_images' }, sliceIndex: -1 },
    { type: 'requestTensor', tensor: { source: 'tensorLens', name: 'train_images' }, sliceIndex: 1.5 },
    {
      type: 'requestTensor',
      tensor: { source: 'tensorLens', name: 'x'.repeat(MAX_TENSOR_NAME_LENGTH + 1) },
      sliceIndex: null,
    },
    {
      type: 'requestTensor',
      tensor: { source: 'keras', runId: 'r'.repeat(MAX_TENSOR_NAME_LENGTH + 1), name: 'k' },
      sliceIndex: null,
    },
  ];
  for (const raw of bad) assert.equal(parseWebviewMessage(raw), null, JSON.stringify(raw).slice(0, 120));
});

test('extra garbage next to a valid message: dropped, never passed on', () => {
  for (const message of VALID) {
    const parsed = parseWebviewMessage({ ...message, extra: 1 });
    assert.deepEqual(parsed, message, `${message.type} + extra`);
    assert.ok(parsed !== null && !Object.hasOwn(parsed, 'extra'), `${message.type} + extra`);
    const polluted = parseWebviewMessage({ ...message, __proto__: { polluted: true }, constructor: 'x' });
    assert.deepEqual(polluted, message, `${message.type} + constructor`);
    assert.ok(polluted !== null && !('polluted' in polluted), `${message.type}: a plain object again`);
    assert.equal(Object.getPrototypeOf(polluted), Object.prototype);
  }
  // A tensor ref inside a message is rebuilt of its own fields too: a key it should not have never reaches the host.
  assert.deepEqual(
    parseWebviewMessage({
      type: 'requestTensor',
      tensor: { source: 'keras', runId: 'run', name: 'k', path: '/tmp' },
      sliceIndex: 0,
    }),
    { type: 'requestTensor', tensor: { source: 'keras', runId: 'run', name: 'k' }, sliceIndex: 0 },
  );
  assert.deepEqual(
    parseWebviewMessage({
      type: 'requestTensor',
      tensor: { source: 'tensorLens', runId: 'run', name: 'k' },
      sliceIndex: 0,
    }),
    { type: 'requestTensor', tensor: { source: 'tensorLens', name: 'k' }, sliceIndex: 0 },
  );
  // A field is the message's own: one it only inherits is missing.
  assert.equal(parseWebviewMessage({ __proto__: { type: 'ready' } }), null);
  assert.equal(parseWebviewMessage({ type: 'command', __proto__: { command: 'train' } }), null);
});

/** An object that counts every look at it (reads, key listings, `in` tests) through a Proxy. */
function counted<T extends object>(target: T): { value: T; looks: () => number } {
  let looks = 0;
  const look =
    <A extends unknown[], R>(f: (...args: A) => R) =>
    (...args: A): R => {
      looks++;
      return f(...args);
    };
  const value = new Proxy(target, {
    get: look((t: T, key: string | symbol) => Reflect.get(t, key)),
    has: look((t: T, key: string | symbol) => Reflect.has(t, key)),
    ownKeys: look((t: T) => Reflect.ownKeys(t)),
    getOwnPropertyDescriptor: look((t: T, key: string | symbol) => Reflect.getOwnPropertyDescriptor(t, key)),
  });
  return { value, looks: () => looks };
}

/** A 2,000,000-point array (what a runaway webview might post) whose points throw if anything reads them. */
function untouchableArray(): unknown[] {
  return new Proxy(new Array<number>(2_000_000), {
    get: (t, key) => {
      if (typeof key === 'string' && /^\d+$/.test(key)) throw new Error(`point ${key} was read`);
      return Reflect.get(t, key);
    },
  });
}

test('a refused message is described in bounded work: a 2 M-point array is never walked, only its length read', () => {
  const line = describeRefusedMessage({
    type: 'requestTensor',
    tensor: { source: 'tensorLens', name: 'dense/kernel' },
    sliceIndex: null,
    values: untouchableArray(),
  });
  assert.ok(line.length <= MAX_REFUSED_DESCRIPTION_CHARS, line);
  assert.match(line, /"requestTensor"/);
  const alone = describeRefusedMessage(untouchableArray());
  assert.match(alone, /2000000/);
  assert.ok(alone.length <= MAX_REFUSED_DESCRIPTION_CHARS, alone);
});

test('a message is parsed in bounded work: a ready with 100,000 more keys is looked at a handful of times, its keys never listed', () => {
  // A runaway webview's `ready` with 2 M keys held the host ≈ 3 s while every key was listed.
  const keys = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]));
  for (const message of [{ type: 'ready' }, { type: 'requestSamples', split: 'test', start: 0, count: 10 }]) {
    const raw = counted({ ...keys, ...message });
    parseWebviewMessage(raw.value);
    assert.ok(raw.looks() <= 12, `${raw.looks()} looks at a ${message.type}`);
  }
});

test('a refused message is described in bounded work: a 100,000-key object is looked at a handful of times', () => {
  const keys = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]));
  const message = counted({ type: 'launch', ...keys });
  const line = describeRefusedMessage(message.value);
  assert.ok(message.looks() <= 8, `${message.looks()} looks at the message`);
  assert.ok(line.length <= MAX_REFUSED_DESCRIPTION_CHARS, line);
  assert.match(line, /"launch"/);
});

test('a refused message’s description is one short line that still says what was wrong', () => {
  const cases: [unknown, RegExp][] = [
    [{ type: 'explainMistake', index: -1 }, /"explainMistake".*index: -1/],
    [{ type: 'explainMistake', index: '8' }, /"explainMistake".*index: "8"/],
    [{ type: 'requestSamples', split: 'train', start: 0 }, /"requestSamples".*start: 0.*count: undefined/],
    [
      { type: 'exportChart', format: 'csv', name: 'chart', data: 'x'.repeat(MAX_EXPORT_CHARS + 1) },
      /16000001 characters/,
    ],
    [{ type: 'command', command: 'train\n\u001b[31mfake line' }, /"command"/],
    ['ready\nforged', /^"ready\\nforged"$/],
    [{ type: '\u2028\u009b'.repeat(100) }, /^type ".*\(no such message\)$/],
    [
      { type: 'openTensor', name: '\u009b'.repeat(MAX_TENSOR_NAME_LENGTH + 1) },
      /^type "openTensor", name: "(\\u009b)+"… \(201 characters\) \(refused\)$/,
    ],
    [
      { type: 'exportChart', format: 'png', name: 'chart', data: 'data:text/html;base64,PHNjcmlwdD4=' },
      /, but not a PNG$/,
    ],
    // Three fields of escaped control characters would be ~600 characters: cut at the bound.
    [{ type: 'exportChart', format: '\u009b'.repeat(50), name: '\u009b'.repeat(50), data: '\u009b'.repeat(50) }, /…$/],
    [null, /null/],
    [undefined, /undefined/],
    [42, /42/],
    [new Float32Array(2_000_000), /^a Float32Array of 8000000 bytes$/],
  ];
  for (const [raw, expected] of cases) {
    const line = describeRefusedMessage(raw);
    assert.match(line, expected);
    assert.ok(line.length <= MAX_REFUSED_DESCRIPTION_CHARS, line);
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    assert.ok(!/[\n\r\u001b\u009b\u2028]/.test(line), `one line without control characters: ${line}`);
  }
});
