import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_TRAIN_CONFIG } from '../../../src/shared/protocol';
import {
  InvalidRequestError,
  parseTrainerRequest,
  requestIdOf,
  validateTrainConfig,
} from '../../../src/trainer/requests';

test('requests: well-formed requests pass through unchanged', () => {
  const requests = [
    { type: 'start', config: { ...DEFAULT_TRAIN_CONFIG, trainLimit: 100 } },
    { type: 'stop' },
    { type: 'evaluate', requestId: 3 },
    { type: 'predict', requestId: 4, file: '/tmp/seven.png' },
    { type: 'getTensor', requestId: 5, name: 'dense/kernel' },
    { type: 'save', requestId: 6, modelDir: '/tmp/m' },
    { type: 'load', requestId: 7, modelDir: '/tmp/m' },
    { type: 'pause' },
    { type: 'resume' },
    { type: 'step', requestId: 8, config: { ...DEFAULT_TRAIN_CONFIG } },
    { type: 'shutdown' },
  ];
  for (const r of requests) assert.equal(parseTrainerRequest(r), r);
  assert.equal(requestIdOf({ type: 'evaluate', requestId: 3 }), 3);
  assert.equal(requestIdOf({ type: 'stop' }), null);
});

test('requests: malformed messages are refused with the fault named', () => {
  const cases: [unknown, RegExp][] = [
    [null, /expected an object, got null/],
    ['start', /expected an object/],
    [{ type: 'explode' }, /unknown type "explode"/],
    [{}, /unknown type nothing|unknown type undefined/],
    [{ type: 'predict', requestId: 1 }, /invalid predict request: file must be an image file path, got nothing/],
    [{ type: 'getTensor', requestId: -1, name: 'x' }, /requestId must be an integer ≥ 0, got -1/],
    [
      { type: 'start', config: { ...DEFAULT_TRAIN_CONFIG, followDataLinks: 'yes' } },
      /followDataLinks must be true or false, got "yes"/,
    ],
    [
      { type: 'step', requestId: 1, config: { ...DEFAULT_TRAIN_CONFIG, followDataLinks: undefined } },
      /followDataLinks must be true or false, got nothing/,
    ],
    [
      { type: 'start', config: { ...DEFAULT_TRAIN_CONFIG, batchSize: 0 } },
      /batchSize must be an integer from 1 to 4096, got 0/,
    ],
    [{ type: 'start' }, /config must be an object/],
    [{ type: 'step', config: DEFAULT_TRAIN_CONFIG }, /invalid step request: requestId must be an integer ≥ 0/],
    [{ type: 'step', requestId: 1 }, /config must be an object/],
    [{ type: 'step', requestId: 1, config: { ...DEFAULT_TRAIN_CONFIG, epochs: 0 } }, /epochs must be/],
  ];
  for (const [message, expected] of cases) {
    assert.throws(
      () => parseTrainerRequest(message),
      (e: unknown) => e instanceof InvalidRequestError && expected.test(e.message),
      JSON.stringify(message),
    );
  }
});

test('requests: config fields are named the caller’s way', () => {
  assert.throws(
    () => validateTrainConfig({ ...DEFAULT_TRAIN_CONFIG, trainLimit: 0 }, (f) => `--${f}`),
    /--trainLimit must be an integer from 1 to 60000, got 0/,
  );
  assert.throws(
    () => validateTrainConfig({ ...DEFAULT_TRAIN_CONFIG, stream: 'some' }),
    /stream must be one of all, none, got "some"/,
  );
  assert.equal(validateTrainConfig({ ...DEFAULT_TRAIN_CONFIG, trainLimit: null }).trainLimit, null);
});
