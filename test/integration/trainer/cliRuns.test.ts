// `node dist/cli.js runs [DIR] [--json]` on a copy of the real Keras fixture runs, and on folders
// with a bad run beside good ones: the built CLI, as a user runs it.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyFixtures, eventLines, runFolder } from '../../support/kerasRuns';
import { tempDir } from '../../support/tempDir';
import { built } from '../../support/trainer';

let cliJs = '';

before(() => {
  cliJs = built('cli');
});

function runs(cwd: string, ...args: string[]) {
  // A CLI that hangs (on a FIFO, say) is killed and fails the test instead of stalling the run.
  const result = spawnSync(process.execPath, [cliJs, 'runs', ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    killSignal: 'SIGKILL',
  });
  assert.equal(result.signal, null, 'the CLI hung and was killed');
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));

test('cli runs --json: one object per run with id, state, backend, epochs, batches, lastMetrics and weights', () => {
  const base = copyFixtures();
  const result = runs(base, '--json');
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, '');
  const listed = jsonLines(result.stdout);
  // How far the killed run got depends on when its last events were due: as its file says.
  const killed = eventLines(runFolder(base, 'killed-jax')).map((l) => JSON.parse(l));
  const killedSteps = Math.max(...killed.filter((r) => 'step' in r).map((r) => r.step));
  const killedEpochs = killed.filter((r) => r.type === 'epoch').length;
  assert.deepEqual(
    listed.map((r) => [r.name, r.state, r.backend, r.epochs, r.batches]),
    [
      ['dense-tf', 'ended', 'tensorflow', 3, 24],
      ['conv-jax', 'ended', 'jax', 3, 18],
      ['failed-tf', 'failed', 'tensorflow', 1, 13],
      ['killed-jax', 'died', 'jax', killedEpochs, killedSteps],
    ],
  );
  const dense = listed[0];
  const lastEpoch = eventLines(runFolder(base, 'dense-tf'))
    .map((l) => JSON.parse(l))
    .filter((r) => r.type === 'epoch')
    .at(-1);
  assert.equal(dense.id, path.basename(runFolder(base, 'dense-tf')));
  assert.deepEqual(dense.lastMetrics, lastEpoch.logs);
  assert.deepEqual(Object.keys(dense.lastMetrics).sort(), ['accuracy', 'loss', 'val_accuracy', 'val_loss']);
  assert.deepEqual(listed[1].weights, [
    { name: 'sequential/conv2d/kernel', shape: [3, 3, 1, 4], dtype: 'float32' },
    { name: 'sequential/conv2d/bias', shape: [4], dtype: 'float32' },
    { name: 'sequential/dense/kernel', shape: [36, 3], dtype: 'float32' },
    { name: 'sequential/dense/bias', shape: [3], dtype: 'float32' },
  ]);
  assert.equal(listed[2].error, 'RuntimeError: loss went to the moon at epoch 1, batch 2');
  // Gradient norms (§2.5): the runs with a probe batch count their records; the others say why not.
  const gradientRecords = (name: 'dense-tf' | 'conv-jax') =>
    eventLines(runFolder(base, name)).filter((l) => l.includes('"type":"gradients"')).length;
  assert.deepEqual(
    listed.map((r) => [r.gradients, r.gradientsMissing?.slice(0, 14) ?? null]),
    [
      [gradientRecords('dense-tf'), null],
      [gradientRecords('conv-jax'), null],
      [0, 'no probe batch'],
      [0, 'no probe batch'],
    ],
  );
  assert.ok(listed[0].gradients >= 4);
});

test('cli runs: DIR defaults to the current folder; the table has a row per run; an empty folder says so, a missing one is an error', () => {
  const base = copyFixtures();
  const fromInside = runs(base);
  const fromOutside = runs(path.dirname(base), path.basename(base));
  assert.equal(fromInside.code, 0, fromInside.stderr);
  assert.equal(fromInside.stdout, fromOutside.stdout);
  const rows = fromInside.stdout.trim().split('\n');
  assert.match(rows[0], /^RUN\s+STATE\s+BACKEND\s+EPOCHS\s+BATCHES\s+LAST EPOCH$/);
  assert.equal(rows.length, 5);
  assert.match(rows[1], /dense-tf-\w+\s+ended\s+tensorflow\s+3\/3\s+24\s+accuracy [\d.]+\s+loss [\d.]+\s+val_accuracy/);
  assert.match(rows[4], /killed-jax-\w+\s+died\s+jax\s+\d\/3\s+\d+/);
  const empty = runs(tempDir('no-runs'));
  assert.equal(empty.code, 0);
  assert.match(empty.stdout, /^no runs in .*\.tensorlens\/runs\n$/);
  const missing = path.join(base, 'no-such-folder');
  assert.deepEqual(runs(base, missing), { code: 1, stdout: '', stderr: `error: ${missing}: does not exist\n` });
  const file = path.join(runFolder(base, 'dense-tf'), 'events.jsonl');
  assert.deepEqual(runs(base, file), { code: 1, stdout: '', stderr: `error: ${file}: is not a folder\n` });
});

test('cli runs: a bad run costs one error line naming its file and its entry; the others are listed, no hang, exit 1', () => {
  const base = copyFixtures();
  const runsDir = path.join(base, '.tensorlens', 'runs');
  const header = JSON.parse(eventLines(runFolder(base, 'dense-tf'))[0]);
  const add = (id: string, content: string) => {
    fs.mkdirSync(path.join(runsDir, id));
    fs.writeFileSync(path.join(runsDir, id, 'events.jsonl'), content);
    return path.join(runsDir, id, 'events.jsonl');
  };
  const future = add('zz-future', `${JSON.stringify({ ...header, version: 2 })}\n`);
  // A name with a newline and an escape sequence cannot fake a second line or drive the terminal.
  const fifo = path.join(runsDir, 'zz-\u001b[31mfifo\nerror: fake', 'events.jsonl');
  fs.mkdirSync(path.dirname(fifo));
  execFileSync('mkfifo', [fifo]);
  for (const json of [true, false]) {
    const result = runs(base, ...(json ? ['--json'] : []));
    assert.equal(result.code, 1);
    const errors = result.stderr.split('\n').filter((l) => l !== '');
    assert.equal(errors.length, 2, result.stderr);
    // In the folders' name order (the escape character sorts first).
    assert.ok(
      errors[0].startsWith(`error: ${runsDir}/zz-\\u001b[31mfifo\\nerror: fake/events.jsonl: is not a regular file`),
      errors[0],
    );
    assert.equal(
      errors[1],
      `error: ${future}: line 1: a header record: format version 2 is not supported (this reader knows version 1)`,
    );
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    if (json) assert.equal(jsonLines(result.stdout).length, 4);
    else assert.equal(result.stdout.trim().split('\n').length, 5);
  }
});
