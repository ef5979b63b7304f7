// The kept runs on a real folder: written atomically, bounded with the oldest dropped, and never
// touching (or trusting) a file that is not one of its records.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TRAIN_CONFIG } from '../../../src/shared/protocol';
import { RUN_RECORD_MARK, RUN_RECORD_VERSION, type RunRecord, type RunWriter } from '../../../src/shared/runRecord';
import {
  MAX_RECORD_BYTES,
  RunStore,
  UNOWNED_STALE_MS,
  newRunId,
  readRecordFile,
  runsOverLimit,
} from '../../../src/extension/runStore';
import { currentWriter, processStart } from '../../../src/extension/runWriter';
import { RecordingLogger } from '../../support/recordingLogger';
import { tempDir } from '../../support/tempDir';

const scratch = () => tempDir('runs');
/** 2023-11-14: the store refuses starts before 2020 or after tomorrow. */
const BASE = 1_700_000_000_000;

function record(startedAt: number, overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    mark: RUN_RECORD_MARK,
    version: RUN_RECORD_VERSION,
    id: newRunId(startedAt),
    startedAt,
    config: DEFAULT_TRAIN_CONFIG,
    epochs: [],
    outcome: 'training',
    evaluation: null,
    ...overrides,
  };
}

/** A record file as another window (or a hand) would leave it. */
function plant(dir: string, r: RunRecord): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${r.id}.json`);
  writeFileSync(file, JSON.stringify(r));
  return file;
}

test('run store: a record saved again replaces itself; the oldest are dropped past the limit; no temporary file stays', async () => {
  const dir = join(scratch(), 'runs');
  let limit = 3;
  const store = new RunStore(dir, () => limit);
  await store.load();
  const first = record(BASE);
  await store.save(first);
  await store.save({ ...first, outcome: 'completed', evaluation: { testLoss: 0.1, testAccuracy: 0.97 } });
  assert.deepEqual(
    store.list().map((r) => [r.id, r.outcome]),
    [[first.id, 'completed']],
  );
  const later = [2, 3, 4].map((i) => record(BASE + i * 1000, { outcome: 'completed' }));
  for (const r of later) await store.save(r);
  assert.deepEqual(
    store.list().map((r) => r.id),
    later.map((r) => r.id),
    'the oldest run was dropped',
  );
  limit = 1;
  await store.prune(store.excess());
  assert.deepEqual(
    store.list().map((r) => r.id),
    [later[2].id],
  );
  assert.deepEqual(readdirSync(dir), [`${later[2].id}.json`]);
});

test('run store: files that are not its records are never deleted, and bad ones are skipped with a line', async () => {
  const root = scratch();
  const dir = join(root, 'runs');
  mkdirSync(dir, { recursive: true });
  const log = new RecordingLogger();
  const store = new RunStore(dir, () => 1, log);
  // Named like a record but not one (no mark), broken JSON, too large, a folder, a link, and a user's note.
  const fakeName = `${newRunId(900_000_000_000)}.json`;
  writeFileSync(join(dir, fakeName), JSON.stringify({ hello: 'mine' }));
  const brokenName = `${newRunId(900_000_000_001)}.json`;
  writeFileSync(join(dir, brokenName), '{"mark": "tensor-lens-run", ');
  const hugeName = `${newRunId(900_000_000_002)}.json`;
  writeFileSync(join(dir, hugeName), ' '.repeat(MAX_RECORD_BYTES + 1));
  mkdirSync(join(dir, `${newRunId(900_000_000_003)}.json`));
  const target = record(BASE - 4000, { outcome: 'completed' });
  writeFileSync(join(root, 'elsewhere.json'), JSON.stringify(target));
  symlinkSync(join(root, 'elsewhere.json'), join(dir, `${target.id}.json`));
  writeFileSync(join(dir, 'notes.txt'), 'keep me');
  // A record under another record's name is not trusted either.
  const misnamed = record(BASE - 5000);
  const misnamedFile = `${newRunId(BASE - 6000)}.json`;
  writeFileSync(join(dir, misnamedFile), JSON.stringify(misnamed));

  await store.load();
  const mine = [record(BASE, { outcome: 'completed' }), record(BASE + 1000, { outcome: 'completed' })];
  for (const r of mine) await store.save(r);
  assert.deepEqual(
    store.list().map((r) => r.id),
    [mine[1].id],
    'only its own records count towards the limit',
  );
  const left = readdirSync(dir);
  for (const name of [fakeName, brokenName, hugeName, 'notes.txt', misnamedFile, `${target.id}.json`])
    assert.ok(left.includes(name), `${name} was kept`);
  assert.equal(readFileSync(join(dir, fakeName), 'utf8'), JSON.stringify({ hello: 'mine' }));
  assert.ok(log.lines().some((l) => l.includes(brokenName)));
  assert.ok(log.lines().some((l) => l.includes(hugeName) && /bytes/.test(l)));
  assert.ok(log.lines().some((l) => l.includes(misnamedFile)));
  assert.ok(
    log.lines('warn').every((l) => !l.includes('\n') && l.startsWith('runs: skipped ')) &&
      log.lines('warn').length === log.lines().length,
    'one line per file',
  );
  await store.sync();
  assert.equal(log.lines().length, new Set(log.lines()).size, 'a refused file is said once, not at every look');
});

test('run store: an empty or missing folder lists nothing', async () => {
  const store = new RunStore(join(scratch(), 'none'), () => 5);
  await store.load();
  assert.deepEqual(store.list(), []);
});

test('runs over the limit: none for a refused setting (null), else what is past it', () => {
  assert.equal(runsOverLimit(10, null), 0);
  assert.equal(runsOverLimit(10, 50), 0);
  assert.equal(runsOverLimit(51, 50), 1);
  assert.equal(runsOverLimit(50, 1), 49);
});

test('run store: a lowered limit never deletes more than one run by itself; prune(n) does what the user agreed to (issue 19 §1)', async () => {
  const dir = join(scratch(), 'runs');
  let limit = 50;
  const store = new RunStore(dir, () => limit);
  await store.load();
  const runs = Array.from({ length: 5 }, (_, i) => record(BASE + i * 1000, { outcome: 'completed' }));
  for (const r of runs) await store.save(r);
  limit = 1;
  assert.equal(store.excess(), 4, 'four would go');
  // A new run while the user has not agreed: nothing goes (more than one is over the limit).
  const next = record(BASE + 10_000, { outcome: 'completed' });
  await store.save(next);
  assert.equal(readdirSync(dir).length, 6, 'every run kept');
  assert.equal(store.excess(), 5);
  await store.prune(2);
  assert.deepEqual(
    store.list().map((r) => r.id),
    [...runs.slice(2), next].map((r) => r.id),
    'the two oldest went',
  );
  // A refused setting keeps everything.
  const refused = new RunStore(dir, () => null);
  await refused.load();
  assert.equal(refused.excess(), 0);
  await refused.save(record(BASE + 20_000, { outcome: 'completed' }));
  assert.equal(readdirSync(dir).length, 5);
});

test('run store: the index answers the Runs view and pruning; a record is read only to be shown (issue 19 §5)', async () => {
  const dir = join(scratch(), 'runs');
  const log = new RecordingLogger();
  const store = new RunStore(dir, () => 3, log);
  const old = [1, 2, 3].map((i) =>
    record(BASE + i * 1000, {
      outcome: 'completed',
      epochs: [
        {
          epoch: 1,
          epochs: 5,
          loss: 0.3,
          accuracy: 0.9,
          valLoss: null,
          valAccuracy: null,
          seconds: 2,
          samplesPerSecond: 30000,
        },
      ],
    }),
  );
  const files = old.map((r) => plant(dir, r));
  await store.load();
  assert.deepEqual(
    store.list().map((s) => [s.id, s.epochsDone]),
    old.map((r) => [r.id, 1]),
  );
  // Once indexed, their files are not read again by saving, pruning or listing: spoil one and see.
  writeFileSync(files[1], 'not json any more');
  for (let epoch = 0; epoch < 3; epoch++)
    await store.save(record(BASE + 100_000, { id: 'run-1700000100000-00000001' }));
  await store.sync();
  assert.deepEqual(log.lines(), [], 'no record file was read');
  assert.deepEqual(
    store.list().map((s) => s.id),
    [old[1].id, old[2].id, 'run-1700000100000-00000001'],
    'the oldest was dropped by the index',
  );
  // Shown, it is read (and refused).
  assert.deepEqual(await store.records([old[1].id, old[2].id]), [old[2]]);
  assert.equal(log.lines().length, 1);
  assert.match(log.lines()[0], new RegExp(`skipped .*${old[1].id}\\.json`));
});

test('run store: a FIFO in a record’s place is refused at once, without lstat’s help (issue 19 §6)', async (t) => {
  if (process.platform === 'win32') return t.skip('no FIFOs');
  const dir = join(scratch(), 'runs');
  mkdirSync(dir);
  const fifo = join(dir, `${newRunId(BASE)}.json`);
  execFileSync('mkfifo', [fifo]);
  // The open itself must not block on it (a FIFO swapped in after any earlier look would hang a blocking open).
  await assert.rejects(readRecordFile(fifo), /not a regular file/);
  const log = new RecordingLogger();
  const store = new RunStore(dir, () => 5, log);
  await store.load();
  assert.deepEqual(store.list(), []);
  assert.equal(log.lines().length, 1);
  assert.ok(lstatSync(fifo).isFIFO(), 'left as it is');
});

test('run store: the temporary file is created exclusively, never through a planted link (issue 19 §6)', async () => {
  const root = scratch();
  const dir = join(root, 'runs');
  mkdirSync(dir);
  const victim = join(root, 'victim.txt');
  writeFileSync(victim, 'precious');
  const r = record(BASE);
  const temporary = join(dir, `${r.id}.json.${process.pid}.tmp`);
  symlinkSync(victim, temporary);
  const store = new RunStore(dir, () => 5);
  await store.load();
  await assert.rejects(store.save(r), /EEXIST/);
  assert.equal(readFileSync(victim, 'utf8'), 'precious');
  assert.ok(lstatSync(temporary).isSymbolicLink(), 'the planted link is not ours to remove');
  assert.equal(existsSync(join(dir, `${r.id}.json`)), false);
  unlinkSync(temporary);
  await store.save(r);
  assert.deepEqual(readdirSync(dir).sort(), [`${r.id}.json`], 'saved once the name is free, no temporary left');
});

test('run store: a record dated in the future is refused, so it neither outlives newer runs nor takes their place (issue 19 §6)', async () => {
  const dir = join(scratch(), 'runs');
  const log = new RecordingLogger();
  const future = record(Date.now() + 10 * 365 * 24 * 3600 * 1000, { outcome: 'completed' });
  const futureFile = plant(dir, future);
  const store = new RunStore(dir, () => 2, log);
  await store.load();
  const real = [1, 2, 3].map((i) => record(Date.now() - 10_000 + i, { outcome: 'completed' }));
  for (const r of real) await store.save(r);
  assert.deepEqual(
    store.list().map((s) => s.id),
    real.slice(1).map((r) => r.id),
    'the limit keeps the two newest real runs',
  );
  assert.ok(existsSync(futureFile), 'not ours to delete either');
  assert.ok(log.lines().some((l) => l.includes(futureFile) && /startedAt/.test(l)));
});

test('run store: a hand-made record with absurd values is skipped with one line naming the file (issue 19 §6)', async () => {
  const dir = join(scratch(), 'runs');
  const log = new RecordingLogger();
  const absurd = record(BASE, { outcome: 'completed', evaluation: { testLoss: 0.1, testAccuracy: 42 } });
  const file = plant(dir, absurd);
  const store = new RunStore(dir, () => 5, log);
  await store.load();
  assert.deepEqual(store.list(), []);
  assert.deepEqual(log.lines(), [
    `runs: skipped ${file}: evaluation must be null or {testLoss ≥ 0, testAccuracy from 0 to 1}`,
  ]);
  // Nor does it write what it would refuse to read back; a diverged epoch's NaN loss is fine (JSON null).
  const bad = record(BASE + 1000, { evaluation: { testLoss: 0.1, testAccuracy: 1.5 } });
  await assert.rejects(store.save(bad), /not a valid record: evaluation/);
  assert.equal(existsSync(join(dir, `${bad.id}.json`)), false);
  const diverged = record(BASE + 2000, {
    outcome: 'failed',
    epochs: [
      {
        epoch: 1,
        epochs: 5,
        loss: Number.NaN,
        accuracy: 0.1,
        valLoss: null,
        valAccuracy: null,
        seconds: 1,
        samplesPerSecond: 100,
      },
    ],
  });
  await store.save(diverged);
  assert.equal((await store.records([diverged.id]))[0].epochs[0].loss, null);
});

/** A real process that is gone: started, then ended and waited for. */
async function deadProcess(): Promise<RunWriter> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await once(child, 'spawn');
  const writer = { pid: child.pid!, host: hostname(), start: await processStart(child.pid!) };
  child.kill('SIGKILL');
  await once(child, 'exit');
  return writer;
}

test('run store: a run left "training" by a window that is gone ends as failed; a live window’s run does not (issue 19 §4)', async () => {
  const dir = join(scratch(), 'runs');
  const me = await currentWriter();
  const orphan = plant(dir, record(BASE, { writer: await deadProcess() }));
  // This test process stands for another window still training.
  const live = record(BASE + 1000, { writer: { ...me } });
  plant(dir, live);
  const otherMachine = record(BASE + 2000, { writer: { pid: 1, host: `${hostname()}-elsewhere`, start: null } });
  plant(dir, otherMachine);
  // Written before records named their writer: ended only after a day without a write.
  const unownedOld = plant(dir, record(BASE + 3000));
  const past = (Date.now() - UNOWNED_STALE_MS - 60_000) / 1000;
  utimesSync(unownedOld, past, past);
  const unownedRecent = record(BASE + 4000);
  plant(dir, unownedRecent);
  const reusedPid =
    process.platform === 'linux' ? record(BASE + 5000, { writer: { ...me, start: 'another-boot:1' } }) : null;
  if (reusedPid) plant(dir, reusedPid);

  const log = new RecordingLogger();
  const store = new RunStore(dir, () => 50, log);
  await store.load();
  const outcome = new Map(store.list().map((s) => [s.id, [s.outcome, s.failedBecause]]));
  const ended = ['failed', 'windowClosed'];
  assert.deepEqual(outcome.get(JSON.parse(readFileSync(orphan, 'utf8')).id), ended);
  assert.deepEqual(outcome.get(live.id), ['training', undefined]);
  assert.deepEqual(outcome.get(otherMachine.id), ['training', undefined], 'another machine cannot be asked');
  assert.deepEqual(outcome.get(JSON.parse(readFileSync(unownedOld, 'utf8')).id), ended);
  assert.deepEqual(outcome.get(unownedRecent.id), ['training', undefined]);
  if (reusedPid) assert.deepEqual(outcome.get(reusedPid.id), ended, 'same pid, another process');
  // Written to disk, so every window sees it.
  const onDisk = JSON.parse(readFileSync(orphan, 'utf8')) as RunRecord;
  assert.equal(onDisk.outcome, 'failed');
  assert.equal(onDisk.failedBecause, 'windowClosed');
  assert.equal(
    log.lines('info').filter((l) => /still training when its window closed/.test(l)).length,
    reusedPid ? 3 : 2,
  );
});

test('run store: saves asked for one after another (the recorder does not wait) land in that order', async () => {
  const dir = join(scratch(), 'runs');
  const store = new RunStore(dir, () => 5);
  void store.load();
  const r = record(BASE);
  const saves = (['training', 'training', 'stopped'] as const).map((outcome) => store.save({ ...r, outcome }));
  await Promise.all(saves);
  assert.equal((JSON.parse(readFileSync(join(dir, `${r.id}.json`), 'utf8')) as RunRecord).outcome, 'stopped');
  assert.deepEqual(
    store.list().map((s) => s.outcome),
    ['stopped'],
  );
});
