// Which Keras run the Tensors view and the dashboard follow (src/extension/kerasFollowing.ts), across
// a window reload: a real registry on copies of the fixture runs, a live run whose writer is this
// process (docs/run-format.md §4), and the workspace state as the two-method map VS Code's Memento is.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { FOLLOWED_KEY, KerasFollowing, type WorkspaceMemory } from '../../../src/extension/kerasFollowing';
import { KerasRunRegistry } from '../../../src/extension/kerasRuns';
import type { Logger } from '../../../src/extension/logger';
import { copyFixtures, eventLines, runFolder } from '../../support/kerasRuns';

const FAST = { liveMs: 100, idleMs: 300, scanMs: 300, quietMs: 60_000 };
/** Every registry made, disposed at the end also when an assertion failed before its own dispose. */
const opened: KerasRunRegistry[] = [];
after(() => opened.forEach((registry) => registry.dispose()));

/** context.workspaceState as VS Code keeps it: a map that outlives the window. */
class MapMemory implements WorkspaceMemory {
  readonly values = new Map<string, unknown>();
  get(key: string): unknown {
    return this.values.get(key);
  }
  update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
    return Promise.resolve();
  }
}

/** One window's worth: a registry on `roots` and what it follows, wired as KerasRunsService wires them. */
function window(roots: string[], memory: WorkspaceMemory, log: string[] = []) {
  const keep = (line: string) => void log.push(line);
  const logger: Logger = { info: keep, warn: keep, error: keep };
  const registry = new KerasRunRegistry({ roots: () => roots, log: logger, timing: FAST });
  opened.push(registry);
  const following = new KerasFollowing(registry, memory, () => roots);
  registry.onDidStart((run) => following.followStarted(run));
  return { registry, following };
}

/** A copy of dense-tf made live: no end record, written by this very process, begun at `began` (Unix s). */
function liveRun(base: string, id: string, began: number): string {
  const folder = path.join(base, '.tensorlens', 'runs', id);
  fs.cpSync(runFolder(base, 'dense-tf'), folder, { recursive: true });
  const [header, ...rest] = eventLines(folder).filter((line) => !line.startsWith('{"type":"end"'));
  const parsed = JSON.parse(header);
  Object.assign(parsed, { runId: id, name: 'live', time: began });
  parsed.process = { pid: process.pid, host: hostname(), startTicks: null, bootId: null };
  fs.writeFileSync(path.join(folder, 'events.jsonl'), [JSON.stringify(parsed), ...rest].map((l) => l + '\n').join(''));
  return folder;
}

test('KerasFollowing: the run followed before a reload is followed again once the registry finds it, its every snapshot read', async () => {
  const base = copyFixtures('following-reload');
  const memory = new MapMemory();
  const dense = runFolder(base, 'dense-tf');
  const before = window([base], memory);
  await before.registry.refresh();
  before.following.follow(dense);
  before.registry.dispose();

  const log: string[] = [];
  const after = window([base], memory, log);
  await after.registry.refresh();
  const run = after.following.run;
  assert.equal(run?.folder, dense, 'the remembered run is followed again');
  assert.deepEqual(
    run.history.map((h) => h.index),
    run.summary.snapshots.map((s) => s.index),
    'its history is kept, for the dashboard',
  );
  assert.deepEqual(log, []);
  after.registry.dispose();
});

test('KerasFollowing: a run started since the remembered one was followed is followed instead; one started before is not', async () => {
  const base = copyFixtures('following-newer');
  const dense = runFolder(base, 'dense-tf');
  const followedAt = Date.now() / 1000 - 60;
  const memory = new MapMemory();
  await memory.update(FOLLOWED_KEY, { folder: dense, since: followedAt });
  // Live while the remembered run was followed: the user chose dense-tf over it.
  liveRun(base, '20261206T070000Z-live-before-aaaaaa', followedAt - 30);
  const older = window([base], memory);
  await older.registry.refresh();
  assert.equal(older.following.run?.folder, dense);
  older.registry.dispose();

  const newer = liveRun(base, '20261206T080000Z-live-since-bbbbbb', followedAt + 30);
  const since = window([base], memory);
  await since.registry.refresh();
  assert.equal(since.following.run?.folder, newer, 'the run started since is followed, as it would have been');
  since.registry.dispose();

  // Nothing remembered: of the runs found live at once, the newest is followed.
  const fresh = window([base], new MapMemory());
  await fresh.registry.refresh();
  assert.equal(fresh.following.run?.folder, newer);
  fresh.registry.dispose();
});

test('KerasFollowing: what the workspace state says is untrusted: a run folder gone, outside the workspace or malformed is dropped without a word', async () => {
  const base = copyFixtures('following-bad');
  const elsewhere = copyFixtures('following-elsewhere');
  const gone = path.join(base, '.tensorlens', 'runs', '20261206T060000Z-gone-cccccc');
  const dense = runFolder(base, 'dense-tf');
  const remembered: unknown[] = [
    { folder: gone, since: 1 },
    { folder: runFolder(elsewhere, 'dense-tf'), since: 1 },
    // Not in normal form (path.join would resolve the `..`).
    { folder: [dense, '..', path.basename(dense)].join(path.sep), since: 1 },
    { folder: path.relative(process.cwd(), dense), since: 1 },
    { folder: path.join(base, 'not-a-run'), since: 1 },
    { folder: dense },
    { folder: 7, since: 1 },
    'x'.repeat(100_000),
    42,
    null,
  ];
  for (const value of remembered) {
    const memory = new MapMemory();
    memory.values.set(FOLLOWED_KEY, value);
    const log: string[] = [];
    const { registry, following } = window([base], memory, log);
    await following.restored;
    await registry.refresh();
    assert.equal(following.run, undefined, `nothing followed for ${JSON.stringify(value).slice(0, 200)}`);
    assert.equal(memory.values.has(FOLLOWED_KEY), false, 'the bad entry is dropped');
    assert.deepEqual(log, []);
    registry.dispose();
  }
});

test('KerasFollowing: following a run remembers it, with when', async () => {
  const base = copyFixtures('following-remember');
  const memory = new MapMemory();
  const { registry, following } = window([base], memory);
  const conv = runFolder(base, 'conv-jax');
  const from = Date.now() / 1000;
  following.follow(conv);
  const saved = memory.get(FOLLOWED_KEY) as { folder: string; since: number };
  assert.equal(saved.folder, conv);
  assert.ok(saved.since >= from && saved.since <= Date.now() / 1000);
  registry.dispose();
});
