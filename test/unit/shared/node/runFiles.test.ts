// The Node side of the run-format reader (src/shared/node) on real files: the Keras fixture runs,
// growing files appended in pieces, and hostile folders (FIFOs, links out, lying snapshots, huge lines).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { MAX_EVENT_FILE_BYTES, MAX_EVENT_LINE_BYTES } from '../../../../src/shared/runFormat/events';
import {
  EventFollower,
  findRunFolders,
  readRun,
  readSnapshot,
  runFoldersIn,
} from '../../../../src/shared/node/runFiles';
import { currentProcess, startTicks, writerLiveness } from '../../../../src/shared/node/writerProcess';
import { copyFixtures, decodeSnapshot, encodeSnapshot, eventLines, runFolder } from '../../../support/kerasRuns';
import { tempDir } from '../../../support/tempDir';

/** A run folder under a fresh base holding `content` as its event file. */
function runWith(content: string | Buffer, id = 'run-1'): { base: string; folder: string; file: string } {
  const base = tempDir('run');
  const folder = path.join(base, '.tensorlens', 'runs', id);
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, 'events.jsonl');
  fs.writeFileSync(file, content);
  return { base, folder, file };
}

async function rejects(promise: Promise<unknown>, file: string, fault: RegExp): Promise<void> {
  await assert.rejects(promise, (error: Error) => {
    assert.ok(error.message.startsWith(`${file}: `), `the message names the file: ${error.message}`);
    assert.match(error.message, fault);
    assert.doesNotMatch(error.message, /\n/);
    return true;
  });
}

test('runFiles: the fixture folder lists four runs; each reads to its state (ended, ended, failed, died)', async () => {
  const base = copyFixtures();
  const folders = await runFoldersIn(base);
  assert.equal(folders.length, 4);
  const states = await Promise.all(
    folders.map(async (f) => [(await readRun(f, base)).summary.header?.name, (await readRun(f, base)).state]),
  );
  assert.deepEqual(Object.fromEntries(states), {
    'dense-tf': 'ended',
    'conv-jax': 'ended',
    'failed-tf': 'failed',
    'killed-jax': 'died',
  });
});

test('runFiles: a run without an end record whose writer lives is running; one written on another host is running too', async () => {
  const header = JSON.parse(eventLines(runFolder(copyFixtures(), 'dense-tf'))[0]);
  const live = runWith(`${JSON.stringify({ ...header, process: await currentProcess() })}\n`);
  assert.equal((await readRun(live.folder, live.base)).state, 'running');
  const elsewhere = runWith(
    `${JSON.stringify({ ...header, process: { ...header.process, host: `not-${hostname()}` } })}\n`,
  );
  assert.equal((await readRun(elsewhere.folder, elsewhere.base)).state, 'running');
  // Starting: the header is not written yet (the model is built by its first batch).
  const starting = runWith('');
  const read = await readRun(starting.folder, starting.base);
  assert.equal(read.state, 'running');
  assert.equal(read.summary.header, null);
});

test('runFiles: a writer whose pid was reused (other start time) or whose machine rebooted (other boot id) is gone', async () => {
  const me = await currentProcess();
  assert.equal(await writerLiveness(me), 'alive');
  if (me.startTicks !== null) assert.equal(await writerLiveness({ ...me, startTicks: me.startTicks + 1 }), 'gone');
  if (me.bootId !== null) assert.equal(await writerLiveness({ ...me, bootId: 'another-boot' }), 'gone');
  assert.equal(await writerLiveness({ ...me, host: `not-${hostname()}` }), 'elsewhere');
  // A pid no process can have (the file says so, not the system).
  assert.equal(await writerLiveness({ ...me, pid: 2 ** 40, startTicks: null, bootId: null }), 'gone');
  // A process that has exited: its pid is gone (or, reused by now, started at another time).
  const child = spawn(process.execPath, ['-e', '0']);
  const pid = child.pid!;
  const ticks = await startTicks(pid);
  await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(await writerLiveness({ pid, host: hostname(), startTicks: ticks, bootId: me.bootId }), 'gone');
});

test('runFiles: a growing event file is read by offset: each poll reads only the new bytes and emits each record once', async () => {
  const lines = eventLines(runFolder(copyFixtures(), 'dense-tf'));
  const all = Buffer.from(lines.map((l) => `${l}\n`).join(''));
  const { base, file } = runWith('');
  const follower = new EventFollower(file, base);
  const emitted: string[] = [];
  // Cut points inside lines (a record half written) and on line ends, in four appends.
  const cuts = [Math.floor(lines[0].length / 2), lines[0].length + 1 + 10, all.indexOf('"type":"epoch"'), all.length];
  let written = 0;
  for (const cut of cuts) {
    fs.appendFileSync(file, all.subarray(written, cut));
    written = cut;
    const before = follower.bytesRead;
    const events = await follower.poll();
    emitted.push(...events.map((e) => e.type));
    assert.equal(
      follower.bytesRead - before,
      cut - (cuts[cuts.indexOf(cut) - 1] ?? 0),
      'only the appended bytes were read',
    );
    const whole = all.subarray(0, cut).lastIndexOf(0x0a) + 1;
    assert.equal(follower.pendingBytes, cut - whole, 'the bytes after the last newline wait');
  }
  assert.equal(follower.bytesRead, all.length, 'every byte read once');
  assert.deepEqual(
    emitted,
    lines.map((l) => JSON.parse(l).type),
    'every record once, in order',
  );
  assert.deepEqual(await follower.poll(), [], 'nothing new: nothing emitted');
  assert.equal(follower.bytesRead, all.length, 'and nothing read');
  assert.equal(follower.summary.end?.state, 'ended');
});

test('runFiles: a torn last line (a killed writer) is ignored; completed later, it is read once', async () => {
  const lines = eventLines(runFolder(copyFixtures(), 'killed-jax'));
  const torn = '{"type":"batch","epo';
  const { base, folder, file } = runWith(`${lines.join('\n')}\n${torn}`);
  const read = await readRun(folder, base);
  const whole = await readRun(runFolder(copyFixtures(), 'killed-jax'), path.dirname(base));
  assert.equal(read.summary.batches, whole.summary.batches, 'the torn record counts for nothing');
  assert.equal(read.state, 'died');
  const follower = new EventFollower(file, base);
  await follower.poll();
  assert.equal(follower.pendingBytes, torn.length);
  // The record's rest: the next batch of the epoch in progress.
  const step = read.summary.batches + 1;
  const epoch = read.summary.epochs;
  const batch = step - 1 - epoch * read.summary.header!.params.steps!;
  fs.appendFileSync(file, `ch":${epoch},"batch":${batch},"batches":1,"step":${step},"time":1,"logs":{"loss":1}}\n`);
  const events = await follower.poll();
  assert.deepEqual(
    events.map((e) => e.type === 'batch' && [e.epoch, e.batch, e.step]),
    [[epoch, batch, step]],
  );
  assert.equal(follower.pendingBytes, 0);
});

test('runFiles: a line longer than 16 MiB is refused in one line, ended or not, without reading it all', async () => {
  const header = eventLines(runFolder(copyFixtures(), 'dense-tf'))[0];
  const huge = Buffer.alloc(MAX_EVENT_LINE_BYTES + 2, 0x20);
  huge.write('{"type":"x","pad":"', 0);
  const unterminated = runWith(Buffer.concat([Buffer.from(`${header}\n`), huge]));
  await rejects(
    readRun(unterminated.folder, unterminated.base),
    unterminated.file,
    /line 2 is longer than 16777216 bytes/,
  );
  const terminated = runWith(Buffer.concat([Buffer.from(`${header}\n`), huge, Buffer.from('\n')]));
  await rejects(readRun(terminated.folder, terminated.base), terminated.file, /line 2 is longer than 16777216 bytes/);
});

test('runFiles: an event file over 1 GiB is refused before a byte is read', async () => {
  const { base, folder, file } = runWith('');
  fs.truncateSync(file, MAX_EVENT_FILE_BYTES + 1); // sparse: no gigabyte written
  const follower = new EventFollower(file, base);
  await rejects(follower.poll(), file, /is 1073741825 bytes, more than an event file's 1073741824/);
  assert.equal(follower.bytesRead, 0);
  await rejects(readRun(folder, base), file, /more than an event file's/);
});

test('runFiles: a fault is final and names the file and the line (wrong version, bad record)', async () => {
  const header = JSON.parse(eventLines(runFolder(copyFixtures(), 'dense-tf'))[0]);
  const v2 = runWith(`${JSON.stringify({ ...header, version: 2 })}\n`);
  await rejects(readRun(v2.folder, v2.base), v2.file, /line 1: a header record: format version 2 is not supported/);
  const bad = runWith(`${JSON.stringify(header)}\n{"type":"epoch","epoch":-1}\n`);
  const follower = new EventFollower(bad.file, bad.base);
  await rejects(follower.poll(), bad.file, /line 2: an epoch record: "epoch" is not an integer ≥ 0/);
  fs.appendFileSync(bad.file, '{"type":"end","state":"ended","time":1,"epochs":0,"step":0}\n');
  await rejects(follower.poll(), bad.file, /line 2/);
});

test('runFiles: an event file replaced or cut shorter while followed is refused (it is only appended to)', async () => {
  const lines = eventLines(runFolder(copyFixtures(), 'dense-tf'));
  const { base, file } = runWith(`${lines.slice(0, 5).join('\n')}\n`);
  const follower = new EventFollower(file, base);
  await follower.poll();
  fs.truncateSync(file, 10);
  await rejects(follower.poll(), file, /shrank from \d+ to 10 bytes/);
  const other = runWith(`${lines.slice(0, 5).join('\n')}\n`);
  const second = new EventFollower(other.file, other.base);
  await second.poll();
  fs.renameSync(other.file, `${other.file}.old`);
  fs.writeFileSync(other.file, `${lines.join('\n')}\n`);
  await rejects(second.poll(), other.file, /was replaced by another file/);
});

// A timeout, so a reader that waits on the FIFO fails the test instead of hanging the run.
test(
  'runFiles: a FIFO as events.jsonl is refused at once (no wait for a writer), in a listing too',
  { timeout: 20_000 },
  async () => {
    const { base, folder, file } = runWith('');
    fs.rmSync(file);
    execFileSync('mkfifo', [file]);
    assert.deepEqual(await runFoldersIn(base), [folder], 'a FIFO named events.jsonl is listed, to be refused');
    await rejects(readRun(folder, base), file, /is not a regular file/);
  },
);

test('runFiles: an event file or a snapshot that links out of its folder is refused; a link inside is read', async () => {
  const fixtures = copyFixtures();
  const outside = runFolder(fixtures, 'dense-tf');
  const { base, folder, file } = runWith('');
  fs.rmSync(file);
  fs.symlinkSync(path.join(outside, 'events.jsonl'), file);
  await rejects(readRun(folder, base), file, /is a link to .*events\.jsonl, outside /);
  // The same link is fine for a reader whose root holds both.
  assert.equal((await readRun(folder, path.dirname(base))).state, 'ended');

  const dense = runFolder(fixtures, 'dense-tf');
  const snapshotFile = path.join(dense, 'snapshots', '000001.bin');
  const event = (await readRun(dense, fixtures)).summary.snapshots[0];
  const moved = path.join(tempDir('elsewhere'), '000001.bin');
  fs.renameSync(snapshotFile, moved);
  fs.symlinkSync(moved, snapshotFile);
  await rejects(readSnapshot(dense, event), snapshotFile, /is a link to .*, outside /);
});

test('runFiles: a real snapshot reads its statistics and, asked for, exactly the float32 values its range names', async () => {
  const base = copyFixtures();
  const conv = runFolder(base, 'conv-jax');
  const run = await readRun(conv, base);
  const last = run.summary.snapshots.at(-1)!;
  const kernel = 'sequential/conv2d/kernel';
  const read = await readSnapshot(conv, last, new Set([kernel]));
  assert.deepEqual([...read.values.keys()], [kernel]);
  const values = read.values.get(kernel)!;
  assert.equal(values.length, 36);
  const stats = read.header.weights[0];
  assert.ok(Math.abs(Math.min(...values) - stats.min!) < 1e-7 && Math.abs(Math.max(...values) - stats.max!) < 1e-7);
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  assert.ok(Math.abs(mean - stats.mean!) < 1e-6);
  assert.equal(read.header.index, last.index);
});

test(
  'runFiles: a snapshot whose size differs from its record, whose header lies, or that is a FIFO is refused naming the file',
  { timeout: 20_000 },
  async () => {
    const base = copyFixtures();
    const dense = runFolder(base, 'dense-tf');
    const event = (await readRun(dense, base)).summary.snapshots[1];
    const file = path.join(dense, event.file);
    const { header, data } = decodeSnapshot(file);
    fs.appendFileSync(file, 'x');
    await rejects(
      readSnapshot(dense, event),
      file,
      new RegExp(`has ${event.bytes + 1} bytes, its snapshot record says ${event.bytes}`),
    );
    const lying = encodeSnapshot(header, data, { dataBytes: 1n << 33n });
    fs.writeFileSync(file, lying);
    await rejects(
      readSnapshot(dense, { ...event, bytes: lying.length }),
      file,
      /the preamble says 24 \+ \d+ \+ 8589934592 bytes/,
    );
    const copy = structuredClone(header);
    copy.weights[0].values = { offset: data.length - 4, length: 4 * 12 * 16, dtype: 'float32' };
    const pastEnd = encodeSnapshot(copy, data);
    fs.writeFileSync(file, pastEnd);
    await rejects(
      readSnapshot(dense, { ...event, bytes: pastEnd.length }, new Set(['sequential/dense/kernel'])),
      file,
      /past the \d+-byte data section/,
    );
    fs.rmSync(file);
    execFileSync('mkfifo', [file]);
    await rejects(readSnapshot(dense, event), file, /is not a regular file/);
  },
);

test("runFiles: a snapshot record whose file says '..' fails the run in one line naming the event file", async () => {
  const lines = eventLines(runFolder(copyFixtures(), 'dense-tf'));
  const snapshot = JSON.parse(lines.find((l) => l.includes('"type":"snapshot"'))!);
  const { base, folder, file } = runWith(
    `${lines[0]}\n${JSON.stringify({ ...snapshot, file: '../../../../../../etc/passwd' })}\n`,
  );
  await rejects(
    readRun(folder, base),
    file,
    /line 2: snapshot 1 names the file "\.\.\/.*passwd", not snapshots\/000001\.bin/,
  );
});

test('runFiles: the bounded walk finds every run under nested folders, skips node_modules and links, and says when it stopped early', async () => {
  const root = tempDir('walk');
  const fixtures = copyFixtures();
  fs.cpSync(fixtures, path.join(root, 'project', 'notebooks'), { recursive: true });
  fs.cpSync(fixtures, path.join(root, 'node_modules', 'x'), { recursive: true });
  fs.symlinkSync(fixtures, path.join(root, 'linked'));
  const found = await findRunFolders(root);
  assert.equal(found.folders.length, 4);
  assert.ok(found.folders.every((f) => f.startsWith(path.join(root, 'project', 'notebooks', '.tensorlens', 'runs'))));
  assert.equal(found.truncated, false);
  const shallow = await findRunFolders(root, { maxDepth: 1, maxFolders: 100, maxEntries: 1000 });
  assert.deepEqual(shallow, { folders: [], truncated: true });
  const fewFolders = await findRunFolders(root, { maxDepth: 10, maxFolders: 2, maxEntries: 1000 });
  assert.equal(fewFolders.truncated, true);
  // A folder of many files: the walk stops reading it at the bound.
  const crowded = path.join(root, 'crowded');
  fs.mkdirSync(crowded);
  for (let i = 0; i < 300; i++) fs.writeFileSync(path.join(crowded, `f${i}`), '');
  const fewEntries = await findRunFolders(crowded, { maxDepth: 10, maxFolders: 100, maxEntries: 100 });
  assert.deepEqual(fewEntries, { folders: [], truncated: true });
});
