// The host's Keras run registry (src/extension/kerasRuns.ts, the core of KerasRunsService without
// vscode) on real files: copies of the fixture runs, hostile run folders beside them, a real Python
// Keras fit writing live (the tensorlens callback), one SIGKILLed mid-fit, and a big run opened while
// the event loop is watched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { writeScaleRun } from '../../../bench/kerasRuns';
import type { Logger } from '../../../src/extension/logger';
import { describeFault } from '../../../src/shared/faults';
import {
  DEFAULT_TIMING,
  type KerasRun,
  KerasRunRegistry,
  MAX_KEPT_SNAPSHOTS,
  runFolderOf,
  thinned,
} from '../../../src/extension/kerasRuns';
import {
  type FixtureName,
  copyFixtures,
  decodeSnapshot,
  encodeSnapshot,
  eventLines,
  runFolder,
} from '../../support/kerasRuns';
import { kerasPython, startLiveRun } from '../../support/kerasPython';
import { tempDir } from '../../support/tempDir';

const FAST = { liveMs: 100, idleMs: 300, scanMs: 300, quietMs: 60_000 };

/** A Logger that keeps every line, whatever its level, in `lines`. */
function into(lines: string[]): Logger {
  const keep = (line: string) => void lines.push(line);
  return { info: keep, warn: keep, error: keep };
}

function registry(roots: string[], log: string[] = []): KerasRunRegistry {
  return new KerasRunRegistry({ roots: () => roots, log: into(log), timing: FAST });
}

const byName = (runs: KerasRun[]) => Object.fromEntries(runs.map((r) => [r.summary.header?.name ?? r.folder, r]));

/** Resolves with the first run (after a change) for which `ok` holds. */
function until(keras: KerasRunRegistry, ok: (runs: KerasRun[]) => KerasRun | undefined): Promise<KerasRun> {
  return new Promise((resolve) => {
    const now = ok(keras.runs);
    if (now) return resolve(now);
    const subscription = keras.onDidChange(() => {
      const run = ok(keras.runs);
      if (run) {
        subscription.dispose();
        resolve(run);
      }
    });
  });
}

test('runFolderOf: the run folder of a watched path, or null outside one', () => {
  const runs = path.join('/w', 'a', '.tensorlens', 'runs');
  assert.equal(runFolderOf(path.join(runs, 'r1', 'snapshots', '000001.bin')), path.join(runs, 'r1'));
  assert.equal(runFolderOf(path.join(runs, 'r1')), path.join(runs, 'r1'));
  assert.equal(runFolderOf(runs + path.sep), null);
  assert.equal(runFolderOf(path.join('/w', 'a', 'b.txt')), null);
});

test('KerasRunRegistry: the fixture runs read to their states, epochs, metrics and newest snapshot; nothing in them changes', async () => {
  const base = copyFixtures('registry');
  const before = fs.readdirSync(path.join(base, '.tensorlens', 'runs'), { recursive: true }).sort();
  const log: string[] = [];
  const keras = registry([base], log);
  const started: KerasRun[] = [];
  keras.onDidStart((run) => started.push(run));
  await keras.refresh();
  const runs = byName(keras.runs);
  assert.deepEqual(Object.fromEntries(Object.entries(runs).map(([name, run]) => [name, run.state])), {
    'dense-tf': 'ended',
    'conv-jax': 'ended',
    'failed-tf': 'failed',
    'killed-jax': 'died',
  });
  assert.deepEqual(log, []);
  assert.deepEqual(started, [], 'no run was live');
  const dense = runs['dense-tf'];
  assert.equal(dense.summary.epochs, 3);
  assert.ok(typeof dense.summary.lastMetrics.val_loss === 'number', 'validation metrics are kept');
  // The newest snapshot's statistics: every weight the header names.
  const snapshots = dense.summary.snapshots;
  assert.equal(dense.snapshot?.index, snapshots.at(-1)?.index);
  assert.deepEqual(
    dense.snapshot?.weights.map((w) => w.name),
    dense.summary.header?.model.weights.map((w) => w.name),
  );
  const conv = runs['conv-jax'].snapshot?.weights.find((w) => w.name.endsWith('kernel') && w.shape.length === 4);
  assert.ok(conv, 'the conv kernel is in the snapshot');
  assert.equal(conv.dtype, 'float32');
  assert.equal(runs['failed-tf'].summary.end?.error?.type, 'RuntimeError');
  // A second look reads nothing new and reports no change.
  let changes = 0;
  keras.onDidChange(() => changes++);
  await keras.refresh();
  assert.equal(changes, 0);
  assert.deepEqual(fs.readdirSync(path.join(base, '.tensorlens', 'runs'), { recursive: true }).sort(), before);
  keras.dispose();
});

test('KerasRunRegistry: the run whose history is kept has every snapshot read, once, in order; another run asked for instead lets it go', async () => {
  const base = copyFixtures('registry-history');
  const log: string[] = [];
  const keras = registry([base], log);
  await keras.refresh();
  const runs = byName(keras.runs);
  assert.ok(
    Object.values(runs).every((run) => run.history.length === 0),
    'no history unless asked for',
  );
  const conv = runs['conv-jax'];
  keras.keepHistory(conv.folder);
  await keras.refresh();
  assert.deepEqual(
    conv.history.map((h) => [h.index, h.reason, h.step]),
    [
      [1, 'begin', 0],
      [2, 'budget', 1],
      [3, 'epoch', 6],
      [4, 'epoch', 12],
      [5, 'epoch', 18],
    ],
  );
  assert.equal(conv.snapshot, conv.history.at(-1), "the newest is the tree's snapshot, not read twice");
  // The writer's update sizes come with each snapshot: none in the first, the kernels' in the others.
  assert.ok(conv.history[0].weights.every((w) => w.update === null));
  assert.ok(conv.history.slice(1).every((h) => (h.weights[0].update ?? 0) > 0));
  let changes = 0;
  keras.onDidChange(() => changes++);
  await keras.refresh();
  assert.equal(changes, 0, 'nothing is read again');
  const dense = runs['dense-tf'];
  keras.keepHistory(dense.folder);
  await keras.refresh();
  assert.equal(dense.history.length, 4);
  assert.deepEqual(conv.history, [], 'the run kept before lets its history go');
  assert.deepEqual(log, []);
  keras.dispose();
});

test('thinned: a history past its bound keeps every other snapshot, the first and the newest, so it still spans the run', () => {
  const history = Array.from({ length: MAX_KEPT_SNAPSHOTS + 1 }, (_, i) => i + 1);
  const kept = thinned(history);
  assert.equal(kept.length, MAX_KEPT_SNAPSHOTS / 2 + 1);
  assert.deepEqual([kept[0], kept[1], kept.at(-1)], [1, 3, MAX_KEPT_SNAPSHOTS + 1]);
  assert.deepEqual(thinned([1, 2, 3, 4]), [1, 3, 4]);
});

test(
  'KerasRunRegistry: a FIFO event file, a wrong version, a torn file and a lying snapshot cost one log line each; the other runs read',
  { timeout: 20_000 },
  async () => {
    const base = copyFixtures('registry-hostile');
    const runs = path.join(base, '.tensorlens', 'runs');
    const dense = runFolder(base, 'dense-tf');
    const [header, ...rest] = eventLines(dense);
    const hostile = (id: string, content: string | null) => {
      const folder = path.join(runs, id);
      fs.mkdirSync(folder);
      if (content === null) execFileSync('mkfifo', [path.join(folder, 'events.jsonl')]);
      else fs.writeFileSync(path.join(folder, 'events.jsonl'), content);
      return folder;
    };
    hostile('29990101T000000Z-fifo-000001', null);
    hostile('29990101T000000Z-version-000002', `${JSON.stringify({ ...JSON.parse(header), version: 2 })}\n`);
    // Torn mid-record: the whole lines read; what follows the last newline waits (its writer is gone: died).
    const torn = [header, ...rest].join('\n');
    const tornFolder = hostile('29990101T000000Z-torn-000003', torn.slice(0, torn.length - 40));
    fs.cpSync(path.join(dense, 'snapshots'), path.join(tornFolder, 'snapshots'), { recursive: true });
    // A snapshot whose preamble lies about its header's length: the run's events stay, one line says why.
    const lying = hostile('29990101T000000Z-lying-000004', `${[header, ...rest].join('\n')}\n`);
    fs.cpSync(path.join(dense, 'snapshots'), path.join(lying, 'snapshots'), { recursive: true });
    const last = fs.readdirSync(path.join(lying, 'snapshots')).sort().at(-1) as string;
    const { header: snapshotHeader, data } = decodeSnapshot(path.join(lying, 'snapshots', last));
    const lie = encodeSnapshot(snapshotHeader, data, { headerBytes: 1n << 40n });
    fs.writeFileSync(path.join(lying, 'snapshots', last), lie);

    const log: string[] = [];
    const keras = registry([base], log);
    await keras.refresh();
    assert.equal(keras.runs.length, 8);
    assert.equal(log.length, 3, log.join('\n'));
    for (const line of log) assert.doesNotMatch(line, /\n|\bat \S+ \(.*:\d+:\d+\)/, 'one line, no stack');
    assert.match(log.find((l) => l.includes('-fifo-')) ?? '', /events\.jsonl: .*not a regular file|events\.jsonl: /);
    assert.match(log.find((l) => l.includes('-version-')) ?? '', /version/);
    assert.match(log.find((l) => l.includes('-lying-')) ?? '', /snapshot not read: .*\.bin: /);
    const byFolder = Object.fromEntries(keras.runs.map((r) => [path.basename(r.folder).split('-')[1], r]));
    assert.match(describeFault(byFolder.fifo.fault!), /events\.jsonl: /);
    assert.match(describeFault(byFolder.version.fault!), /version/);
    assert.equal(byFolder.torn.fault, null);
    assert.equal(byFolder.lying.fault, null);
    assert.equal(byFolder.lying.state, 'ended');
    assert.ok(byFolder.lying.summary.epochs > 0, 'the lying snapshot costs the tree its weights, not the run');
    // The fixtures read as before.
    const fine = byName(keras.runs);
    assert.equal(fine['dense-tf'].state, 'ended');
    assert.equal(fine['killed-jax'].state, 'died');
    // A bad run is read no further and logged once, not at every look.
    await keras.refresh();
    assert.equal(log.length, 3);
    keras.dispose();
  },
);

test('KerasRunRegistry: a run that began while the registry watched is announced even when it was over before a look saw it; older runs are not', async () => {
  const base = copyFixtures('registry-quick');
  const keras = registry([base]);
  const started: (string | undefined)[] = [];
  keras.onDidStart((run) => started.push(run.summary.header?.name ?? undefined));
  await keras.refresh();
  assert.deepEqual(started, [], 'ended, failed and died runs found at the first look are old news');
  // A fit of a second or two (the chapter 8 example on 3,000 digits) starts and ends between two looks.
  const quick = path.join(base, '.tensorlens', 'runs', '29990101T000000Z-quick-000001');
  fs.cpSync(runFolder(base, 'dense-tf'), quick, { recursive: true });
  const [header, ...rest] = fs.readFileSync(path.join(quick, 'events.jsonl'), 'utf8').split('\n');
  const now = { ...JSON.parse(header), time: Date.now() / 1000 };
  fs.writeFileSync(path.join(quick, 'events.jsonl'), [JSON.stringify(now), ...rest].join('\n'));
  keras.notice(path.join(quick, 'events.jsonl')); // as the file watcher does
  await keras.refresh();
  assert.deepEqual(started, ['dense-tf'], 'the new run is announced (and so followed), ended as it is');
  await keras.refresh();
  assert.deepEqual(started, ['dense-tf'], 'once');
  keras.dispose();
});

test('KerasRunRegistry: a run folder a watcher names is followed at the next look, without a walk', async () => {
  const base = copyFixtures('registry-notice');
  const keras = new KerasRunRegistry({ roots: () => [base], log: into([]), timing: { ...FAST, scanMs: Infinity } });
  await keras.refresh();
  assert.equal(keras.runs.length, 4);
  const copy = path.join(base, '.tensorlens', 'runs', '29990101T000000Z-copy-000001');
  fs.cpSync(runFolder(base, 'dense-tf'), copy, { recursive: true });
  await keras.refresh();
  assert.equal(keras.runs.length, 4, 'no walk between looks (scanMs: Infinity)');
  keras.notice(path.join(copy, 'events.jsonl'));
  await keras.refresh();
  assert.equal(keras.runs[0].folder, copy);
  assert.equal(keras.runs[0].state, 'ended');
  keras.dispose();
});

test('KerasRunRegistry: a deleted run leaves the list without a log line; past 50 runs the oldest finished ones go, once', async () => {
  const base = copyFixtures('registry-bound');
  const log: string[] = [];
  const keras = new KerasRunRegistry({ roots: () => [base], log: into(log), timing: { ...FAST, scanMs: 0 } });
  await keras.refresh();
  let changes = 0;
  keras.onDidChange(() => changes++);
  fs.rmSync(runFolder(base, 'conv-jax'), { recursive: true });
  await keras.refresh();
  assert.deepEqual(
    keras.runs.map((r) => r.summary.header?.name),
    ['killed-jax', 'failed-tf', 'dense-tf'],
  );
  assert.equal(changes, 1, 'the views hear that it went');
  assert.deepEqual(log, []);
  const runs = path.join(base, '.tensorlens', 'runs');
  const copy = (n: number) => {
    const folder = path.join(runs, `2027010${Math.floor(n / 100)}T${String(n % 100).padStart(2, '0')}0000Z-copy-${n}`);
    fs.cpSync(runFolder(base, 'dense-tf'), folder, { recursive: true });
    return folder;
  };
  for (let n = 0; n < 49; n++) copy(n);
  await keras.refresh();
  assert.equal(keras.runs.length, 50, '3 + 49 found, the newest 50 followed');
  assert.equal(log.length, 1);
  assert.match(log[0], /52 run folders found, following the newest 50/);
  const newest = copy(100);
  await keras.refresh();
  assert.equal(keras.runs.length, 50);
  assert.equal(keras.runs[0].folder, newest);
  const names = () => keras.runs.map((r) => path.basename(r.folder));
  const before = names();
  await keras.refresh();
  assert.deepEqual(names(), before, 'a run let go is not read again at the next walk');
  assert.equal(log.length, 1);
  keras.dispose();
});

/** The fixture run `name` as if another machine had written it: its header names another host. */
function writtenElsewhere(base: string, name: FixtureName): { file: string; header: string; rest: string[] } {
  const file = path.join(runFolder(base, name), 'events.jsonl');
  const [header, ...rest] = fs.readFileSync(file, 'utf8').split('\n');
  const elsewhere = { ...JSON.parse(header), process: { ...JSON.parse(header).process, host: `not-${hostname()}` } };
  fs.writeFileSync(file, [JSON.stringify(elsewhere), ...rest].join('\n'));
  return { file, header, rest };
}

test('KerasRunRegistry: a run without an end record written on another machine is listed as running, and offered only once it writes again', async () => {
  const base = copyFixtures('registry-elsewhere');
  const { file } = writtenElsewhere(base, 'killed-jax');
  const keras = registry([base]);
  const started: (string | undefined)[] = [];
  keras.onDidStart((run) => started.push(run.summary.header?.name ?? undefined));
  await keras.refresh();
  assert.equal(byName(keras.runs)['killed-jax'].state, 'running', '§4: another machine cannot be asked');
  assert.deepEqual(started, [], 'an old run from elsewhere is no new run');
  assert.equal(keras.newestLive(), undefined, 'nor does it keep the live pace (a look every liveMs)');
  fs.appendFileSync(
    file,
    `${JSON.stringify({ type: 'batch', epoch: 1, batch: 0, batches: 1, step: 11, time: 1796533518, logs: { loss: 1.2 } })}\n`,
  );
  await keras.refresh();
  assert.deepEqual(started, ['killed-jax'], 'it writes again: it is running now');
  assert.equal(keras.newestLive()?.summary.header?.name, 'killed-jax', 'and followed at the live pace');
  await keras.refresh();
  assert.deepEqual(started, ['killed-jax'], 'told once');
  keras.dispose();
});

test('KerasRunRegistry: a run from another machine that stops growing leaves the live pace after quietMs, and a local one does not', async () => {
  const base = copyFixtures('registry-quiet');
  const { file, header, rest } = writtenElsewhere(base, 'killed-jax');
  // Beside it, an older run whose writer is this process: alive, so live however quiet.
  const local = path.join(base, '.tensorlens', 'runs', '20000101T000000Z-local-000000');
  fs.mkdirSync(local);
  const here = { pid: process.pid, host: hostname(), startTicks: null, bootId: null };
  const localHeader = { ...JSON.parse(header), name: 'local', process: here };
  fs.writeFileSync(path.join(local, 'events.jsonl'), [JSON.stringify(localHeader), ...rest].join('\n'));
  const quietMs = 300;
  const keras = new KerasRunRegistry({ roots: () => [base], log: into([]), timing: { ...FAST, quietMs } });
  await keras.refresh();
  fs.appendFileSync(
    file,
    `${JSON.stringify({ type: 'batch', epoch: 1, batch: 0, batches: 1, step: 11, time: 1796533518, logs: { loss: 1.2 } })}\n`,
  );
  await keras.refresh();
  assert.equal(keras.newestLive()?.summary.header?.name, 'killed-jax', 'it grew, and is the newer');
  // The quiet window itself is what is tested: nothing is written while it passes.
  await new Promise((resolve) => setTimeout(resolve, quietMs + 100));
  await keras.refresh();
  assert.equal(byName(keras.runs)['killed-jax'].state, 'running', 'still listed as running (§4)');
  assert.equal(keras.newestLive()?.summary.header?.name, 'local', 'quiet for quietMs: only the local run is live');
  keras.dispose();
});

const python = kerasPython();
const noPython = python === null ? 'no Python environment with keras and tensorlens (npm run setup:python)' : false;

test(
  'KerasRunRegistry: a live Keras fit is seen starting, its batches arriving over several looks, and its end',
  { skip: noPython, timeout: 120_000 },
  async () => {
    const base = tempDir('registry-live');
    const keras = registry([base]);
    const starts: KerasRun[] = [];
    keras.onDidStart((run) => starts.push(run));
    const batchCounts = new Set<number>();
    keras.onDidChange(() => {
      const run = keras.runs[0];
      if (run?.state === 'running') batchCounts.add(run.summary.batches);
    });
    keras.start();
    const live = startLiveRun(python as string, base, 3, 0.05);
    const running = await until(keras, (runs) => runs.find((r) => r.state === 'running' && r.summary.batches > 0));
    assert.equal(running.summary.header?.framework.backend, 'jax');
    assert.deepEqual(
      starts.map((r) => r.summary.header?.name),
      ['live'],
    );
    assert.equal(keras.newestLive(), running);
    const ended = await until(keras, (runs) => runs.find((r) => r.state === 'ended'));
    assert.equal(await live.exited, 0);
    assert.ok(batchCounts.size >= 2, `batches seen arriving over several looks: ${[...batchCounts].join(', ')}`);
    assert.equal(ended.summary.epochs, 3);
    assert.ok(typeof ended.summary.lastMetrics.val_accuracy === 'number');
    assert.ok(ended.snapshot !== null && ended.snapshot.weights.length === 4, 'kernel and bias of two Dense layers');
    assert.equal(keras.newestLive(), undefined);
    keras.dispose();
  },
);

test(
  'KerasRunRegistry: two Keras fits writing at once stay apart, each read to its own end',
  { skip: noPython, timeout: 120_000 },
  async () => {
    const base = tempDir('registry-two');
    const keras = registry([base]);
    keras.start();
    const writers = [startLiveRun(python as string, base, 3, 0.03), startLiveRun(python as string, base, 3, 0.03)];
    assert.deepEqual(await Promise.all(writers.map((w) => w.exited)), [0, 0]);
    await until(keras, (runs) => (runs.length === 2 && runs.every((r) => r.state === 'ended') ? runs[0] : undefined));
    const runs = keras.runs;
    assert.notEqual(runs[0].folder, runs[1].folder);
    assert.notEqual(runs[0].summary.id, runs[1].summary.id);
    // 160 training samples (validation_split 0.2) in batches of 16: 10 an epoch, 3 epochs each, none mixed.
    for (const run of runs) {
      assert.equal(run.summary.batches, 30);
      assert.equal(run.summary.epochs, 3);
      assert.equal(run.fault, null);
    }
    keras.dispose();
  },
);

test(
  'KerasRunRegistry: a SIGKILLed writer is died within a few seconds, its batches kept',
  { skip: noPython, timeout: 120_000 },
  async () => {
    const base = tempDir('registry-killed');
    // The host's own timing (a look every 0.5 s while a run is live), so the figure is the one users see.
    const keras = new KerasRunRegistry({ roots: () => [base], log: into([]), timing: DEFAULT_TIMING });
    keras.start();
    const live = startLiveRun(python as string, base, 1000, 0.05);
    await live.started;
    const running = await until(keras, (runs) => runs.find((r) => r.state === 'running' && r.summary.batches > 0));
    const killedAt = performance.now();
    live.child.kill('SIGKILL');
    await live.exited;
    const died = await until(keras, (runs) => runs.find((r) => r.state === 'died'));
    const seconds = (performance.now() - killedAt) / 1000;
    // Measured, not asserted (no timed assertions): at most one live look (0.5 s) after the kill.
    console.log(`died ${seconds.toFixed(2)} s after SIGKILL`);
    assert.equal(died, running);
    assert.ok(died.summary.batches > 0);
    assert.equal(died.fault, null);
    keras.dispose();
  },
);

test(
  'KerasRunRegistry: opening a big run (100,000 batches, 50 snapshots) keeps the event loop turning',
  { timeout: 120_000 },
  async () => {
    const base = tempDir('registry-big');
    const { eventBytes } = writeScaleRun(base);
    const keras = registry([base]);
    let turns = 0;
    let counting = true;
    const count = () => {
      turns++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    await keras.refresh();
    delay.disable();
    counting = false;
    const run = keras.runs[0];
    assert.equal(run.summary.batches, 100_000);
    assert.equal(run.summary.snapshots.length, 50);
    assert.ok(run.snapshot !== null);
    // The follower reads 64 KiB at a time and yields between chunks: the loop turns at least that often.
    const chunks = Math.floor(eventBytes / (64 * 1024));
    assert.ok(turns >= chunks, `${turns} turns of the loop while ${chunks} chunks were read`);
    console.log(
      `opened ${(eventBytes / 1e6).toFixed(1)} MB: ${turns} loop turns, delay p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, max ${(delay.max / 1e6).toFixed(1)} ms`,
    );
    keras.dispose();
  },
);
