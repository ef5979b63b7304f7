import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seriesCsv } from '../../../src/shared/csv';
import { DEFAULT_TRAIN_CONFIG, type EpochMetrics } from '../../../src/shared/protocol';
import {
  RUN_RECORD_MARK,
  parseRunRecord,
  recordFromState,
  runLabels,
  runRecordFault,
} from '../../../src/shared/runRecord';
import { applyEvent, initialRunState } from '../../../src/shared/runState';

const epoch = (n: number, loss: number): EpochMetrics => ({
  epoch: n,
  epochs: 2,
  loss,
  accuracy: 1 - loss / 3,
  valLoss: null,
  valAccuracy: null,
  seconds: 1,
  samplesPerSecond: 5000,
});

function completedState() {
  const state = initialRunState();
  applyEvent(state, {
    type: 'trainStart',
    config: { ...DEFAULT_TRAIN_CONFIG, epochs: 2 },
    threads: 1,
    trainSamples: 256,
    valSamples: 0,
    batchesPerEpoch: 2,
  });
  applyEvent(state, { type: 'epoch', metrics: epoch(1, 0.4) });
  applyEvent(state, { type: 'epoch', metrics: epoch(2, 0.2) });
  applyEvent(state, { type: 'trainEnd', reason: 'completed', epochsCompleted: 2, seconds: 2, samplesPerSecond: 256 });
  return state;
}

test('run record: built from the run state, it survives JSON and parses back as it was', () => {
  const record = recordFromState('run-1764552000000-0123abcd', 1764552000000, completedState());
  assert.ok(record);
  assert.equal(record.outcome, 'completed');
  assert.deepEqual(
    record.epochs.map((e) => e.loss),
    [0.4, 0.2],
  );
  assert.equal(record.evaluation, null);
  assert.deepEqual(parseRunRecord(JSON.parse(JSON.stringify(record))), record);
  assert.equal(recordFromState('run-1764552000000-0123abcd', 0, initialRunState()), null, 'no run, no record');
});

test('run record: anything not exactly ours is refused', () => {
  const record = recordFromState('run-1764552000000-0123abcd', 1764552000000, completedState())!;
  const bad: unknown[] = [
    null,
    [],
    { ...record, mark: 'something-else' },
    { ...record, version: 2 },
    { ...record, id: '../../etc/passwd' },
    { ...record, config: { ...record.config, optimizer: 'adamw' } },
    { ...record, epochs: [{ epoch: 'one' }] },
    { ...record, epochs: Array.from({ length: 1001 }, (_, i) => epoch(i + 1, 0.1)) },
    { ...record, outcome: 'exploded' },
    { ...record, evaluation: { testLoss: 0.1 } },
  ];
  for (const raw of bad) assert.equal(parseRunRecord(raw), null, JSON.stringify(raw)?.slice(0, 80));
  assert.equal(RUN_RECORD_MARK, 'tensor-lens-run');
});

test('run record: a hand-made record with absurd values is refused, naming the fault (issue 19 §6)', () => {
  const record = recordFromState('run-1764552000000-0123abcd', 1764552000000, completedState())!;
  const now = Date.UTC(2026, 11, 6);
  const firstEpoch = record.epochs[0];
  const cases: [unknown, RegExp][] = [
    [{ ...record, startedAt: 1e20 }, /startedAt/],
    [{ ...record, startedAt: -5 }, /startedAt/],
    [{ ...record, startedAt: now + 2 * 24 * 3600 * 1000 }, /startedAt .* to tomorrow/],
    [{ ...record, startedAt: 1764552000000.5 }, /startedAt/],
    [{ ...record, evaluation: { testLoss: 0.1, testAccuracy: 42 } }, /evaluation/],
    [{ ...record, evaluation: { testLoss: -1, testAccuracy: 0.9 } }, /evaluation/],
    [{ ...record, epochs: [{ ...firstEpoch, accuracy: 1.5 }] }, /epoch 1: accuracy/],
    [{ ...record, epochs: [{ ...firstEpoch, valAccuracy: -0.1 }] }, /epoch 1: valAccuracy/],
    [{ ...record, epochs: [{ ...firstEpoch, loss: -3 }] }, /epoch 1: loss/],
    [{ ...record, epochs: [{ ...firstEpoch, seconds: -1 }] }, /epoch 1: seconds/],
    [{ ...record, epochs: [{ ...firstEpoch, samplesPerSecond: -10 }] }, /samplesPerSecond/],
    [{ ...record, epochs: [{ ...firstEpoch, epoch: 1.5 }] }, /epoch 1: epoch\/epochs/],
    [{ ...record, epochs: [{ ...firstEpoch, epoch: 7, epochs: 2 }] }, /epoch\/epochs/],
    [{ ...record, epochs: [...record.epochs, { ...firstEpoch, epoch: 3 }] }, /no longer than config\.epochs/],
    [{ ...record, config: { ...record.config, optimizer: { evil: true } } }, /config\.optimizer/],
    [{ ...record, config: { ...record.config, learningRate: -1 } }, /config\.learningRate/],
    [{ ...record, config: { ...record.config, epochs: 1e9 } }, /config\.epochs/],
    [{ ...record, config: { ...record.config, dataDir: { path: '/x' } } }, /config\.dataDir/],
    [{ ...record, config: { ...record.config, backend: ['cpu'] } }, /config\.backend/],
    [{ ...record, writer: { pid: 'me', host: 'h', start: null } }, /writer/],
    [{ ...record, failedBecause: 'windowClosed' }, /failedBecause/],
  ];
  for (const [raw, fault] of cases) {
    assert.equal(parseRunRecord(raw, now), null, JSON.stringify(raw).slice(0, 120));
    assert.match(runRecordFault(raw, now) ?? '', fault);
  }
  assert.equal(runRecordFault(record, now), null);
  assert.equal(runRecordFault({ ...record, startedAt: now + 3600_000 }, now), null, 'an hour ahead is clock skew');
  assert.equal(
    runRecordFault(
      { ...record, outcome: 'failed', failedBecause: 'windowClosed', writer: { pid: 7, host: 'h', start: '99' } },
      now,
    ),
    null,
  );
});

test('run labels name what differs: "adam, lr 0.01"; runs alike are told apart by start time', () => {
  const base = { ...DEFAULT_TRAIN_CONFIG };
  const at = (h: number, m: number) => new Date(2026, 11, 1, h, m).getTime();
  assert.deepEqual(
    runLabels([
      { config: base, startedAt: at(1, 0) },
      { config: { ...base, optimizer: 'adam', learningRate: 0.01 }, startedAt: at(1, 5) },
    ]),
    ['rmsprop, lr 0.001', 'adam, lr 0.01'],
  );
  assert.deepEqual(
    runLabels([
      { config: base, startedAt: at(1, 0) },
      { config: { ...base, batchSize: 64 }, startedAt: at(1, 5) },
      { config: base, startedAt: at(2, 30) },
    ]),
    ['batch 128 (01:00)', 'batch 64', 'batch 128 (02:30)'],
  );
  assert.deepEqual(
    runLabels([
      { config: base, startedAt: at(1, 0) },
      { config: base, startedAt: at(9, 7) },
    ]),
    ['run 01:00', 'run 09:07'],
  );
});

test('CSV: one x column, one column per series, empty where a series has no point, fields quoted', () => {
  const csv = seriesCsv('epoch', [
    {
      name: 'adam, lr 0.01 — training',
      points: [
        { x: 1, y: 0.5 },
        { x: 2, y: 0.25 },
      ],
    },
    { name: 'validation', points: [{ x: 2, y: 0.3 }] },
  ]);
  assert.equal(csv, 'epoch,"adam, lr 0.01 — training",validation\r\n1,0.5,\r\n2,0.25,0.3\r\n');
  assert.equal(seriesCsv('step', [{ name: 'say "hi"', points: [] }]), 'step,"say ""hi"""\r\n');
});

test('run record: a record kept before trainer protocol 5 (no followDataLinks in its config) is still read', () => {
  const record = recordFromState('run-1764552000000-0123abcd', 1764552000000, completedState());
  assert.ok(record);
  const { followDataLinks, ...olderConfig } = record.config;
  assert.equal(typeof followDataLinks, 'boolean');
  const older = { ...record, config: olderConfig };
  assert.equal(runRecordFault(JSON.parse(JSON.stringify(older))), null);
  assert.ok(parseRunRecord(JSON.parse(JSON.stringify(older))));
  assert.match(
    runRecordFault({ ...older, config: { ...olderConfig, followDataLinks: 'yes' } }) ?? '',
    /followDataLinks/,
  );
});
