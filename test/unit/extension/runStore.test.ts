// The kept runs on a real folder: written atomically, bounded with the oldest dropped, and never
// touching (or trusting) a file that is not one of its records.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_TRAIN_CONFIG } from '../../../src/shared/protocol';
import { RUN_RECORD_MARK, RUN_RECORD_VERSION, type RunRecord } from '../../../src/shared/runRecord';
import { MAX_RECORD_BYTES, RunStore, newRunId } from '../../../src/extension/runStore';
import { tempDir } from '../../support/tempDir';

const scratch = () => tempDir('runs');

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

test('run store: a record saved again replaces itself; the oldest are dropped past the limit; no temporary file stays', () => {
  const dir = join(scratch(), 'runs');
  let limit = 3;
  const store = new RunStore(dir, () => limit);
  const first = record(1_000_000_000_000);
  store.save(first);
  store.save({ ...first, outcome: 'completed', evaluation: { testLoss: 0.1, testAccuracy: 0.97 } });
  assert.deepEqual(
    store.list().map((r) => [r.id, r.outcome]),
    [[first.id, 'completed']],
  );
  const later = [2, 3, 4].map((i) => record(1_000_000_000_000 + i * 1000));
  for (const r of later) store.save(r);
  assert.deepEqual(
    store.list().map((r) => r.id),
    later.map((r) => r.id),
    'the oldest run was dropped',
  );
  limit = 1;
  store.prune();
  assert.deepEqual(
    store.list().map((r) => r.id),
    [later[2].id],
  );
  assert.deepEqual(readdirSync(dir), [`${later[2].id}.json`]);
});

test('run store: files that are not its records are never deleted, and bad ones are skipped with a line', () => {
  const root = scratch();
  const dir = join(root, 'runs');
  mkdirSync(dir, { recursive: true });
  const lines: string[] = [];
  const store = new RunStore(
    dir,
    () => 1,
    (line) => lines.push(line),
  );
  // Named like a record but not one (no mark), broken JSON, too large, a folder, a link, and a user's note.
  const fakeName = `${newRunId(900_000_000_000)}.json`;
  writeFileSync(join(dir, fakeName), JSON.stringify({ hello: 'mine' }));
  const brokenName = `${newRunId(900_000_000_001)}.json`;
  writeFileSync(join(dir, brokenName), '{"mark": "tensor-lens-run", ');
  const hugeName = `${newRunId(900_000_000_002)}.json`;
  writeFileSync(join(dir, hugeName), ' '.repeat(MAX_RECORD_BYTES + 1));
  mkdirSync(join(dir, `${newRunId(900_000_000_003)}.json`));
  const target = record(900_000_000_004);
  writeFileSync(join(root, 'elsewhere.json'), JSON.stringify(target));
  symlinkSync(join(root, 'elsewhere.json'), join(dir, `${target.id}.json`));
  writeFileSync(join(dir, 'notes.txt'), 'keep me');
  // A record under another record's name is not trusted either.
  const misnamed = record(900_000_000_005);
  const misnamedFile = `${newRunId(900_000_000_006)}.json`;
  writeFileSync(join(dir, misnamedFile), JSON.stringify(misnamed));

  const mine = [record(1_000_000_000_000), record(1_000_000_001_000)];
  for (const r of mine) store.save(r);
  assert.deepEqual(
    store.list().map((r) => r.id),
    [mine[1].id],
    'only its own records count towards the limit',
  );
  const left = readdirSync(dir);
  for (const name of [fakeName, brokenName, hugeName, 'notes.txt', misnamedFile, `${target.id}.json`])
    assert.ok(left.includes(name), `${name} was kept`);
  assert.equal(readFileSync(join(dir, fakeName), 'utf8'), JSON.stringify({ hello: 'mine' }));
  assert.ok(lines.some((l) => l.includes(brokenName)));
  assert.ok(lines.some((l) => l.includes(hugeName) && /bytes/.test(l)));
  assert.ok(lines.some((l) => l.includes(misnamedFile)));
  assert.ok(
    lines.every((l) => !l.includes('\n') && l.startsWith('runs: skipped ')),
    'one line per file',
  );
});

test('run store: an empty or missing folder lists nothing', () => {
  assert.deepEqual(new RunStore(join(scratch(), 'none'), () => 5).list(), []);
});
