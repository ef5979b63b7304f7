// A trainer that floods the host with events (a bug, or a hostile child) cannot freeze VS Code: the
// host ends it past MAX_EVENTS_PER_WINDOW events within EVENT_WINDOW_MS (Node's IPC alone, left to
// read the flood, blocked the event loop for 100–150 ms at a time), its event loop keeps answering
// within 50 ms, the run is failed with the reason, and each webview gets trainer events in groups at
// most WEBVIEW_EVENTS_PER_SECOND times a second, every event in order. Real child process, real
// TrainerClient and RunController; the panel's coalescing is the TimedCoalescer webviewPanel.ts uses.
import { describeFault } from '../../../src/shared/faults';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { TimedCoalescer } from '../../../src/extension/coalescer';
import { RunController } from '../../../src/extension/runController';
import { MAX_EVENTS_PER_WINDOW } from '../../../src/extension/trainerClient';
import { DEFAULT_TRAIN_CONFIG, type TrainerEvent } from '../../../src/shared/protocol';
import { waitFor } from '../../support/wait';

const root = path.resolve(__dirname, '../../..');
const WEBVIEW_EVENTS_PER_SECOND = 20;

test('a flooding trainer is ended: host event-loop delay < 50 ms, run failed, webview messages ≤ 20/s with every event', async () => {
  const run = new RunController({
    trainerScript: path.join(root, 'test', 'support', 'floodingTrainer.ts'),
    launch: () => ({ execPath: process.execPath, env: { ...process.env, NODE_OPTIONS: '--import tsx' } }),
    modelDir: null,
  });
  const received: TrainerEvent[] = [];
  const posts: { at: number; events: TrainerEvent[] }[] = [];
  const webview = new TimedCoalescer<TrainerEvent>(
    (events) => posts.push({ at: performance.now(), events }),
    1000 / WEBVIEW_EVENTS_PER_SECOND,
  );
  run.onEvent((event) => {
    received.push(event);
    webview.push(event);
  });
  const delay = monitorEventLoopDelay({ resolution: 10 });
  try {
    await run.train({ ...DEFAULT_TRAIN_CONFIG, modelDir: null });
    delay.enable();
    const state = await run.whenTrainingEnds();
    delay.disable();
    // The last group goes out when its interval ends: wait for it, not for a fixed time.
    await waitFor(
      'the last group to reach the webview',
      () => posts.flatMap((p) => p.events).length >= received.length,
      5000,
    );
    assert.equal(state.status, 'failed');
    assert.match(
      state.error ? describeFault(state.error) : '',
      /^the trainer process sent more than 200 events within 100 ms \(a flood\) and was ended/,
    );
    const batchEvents = received.filter((e) => e.type === 'batches').length;
    assert.ok(batchEvents >= MAX_EVENTS_PER_WINDOW - 1, `a flood: ${batchEvents} batch events`);
    assert.equal(state.batches.length, batchEvents, 'every point heard reached the run state');

    const maxDelayMs = delay.max / 1e6;
    assert.ok(maxDelayMs < 50, `the host's event loop was blocked for ${maxDelayMs.toFixed(1)} ms`);

    assert.deepEqual(
      posts.flatMap((p) => p.events),
      received,
      'the webview gets every event, in order',
    );
    const gaps = posts.slice(1).map((p, i) => p.at - posts[i].at);
    const shortest = Math.min(...gaps);
    assert.ok(shortest >= 1000 / WEBVIEW_EVENTS_PER_SECOND - 1, `two webview messages ${shortest.toFixed(1)} ms apart`);
  } finally {
    webview.clear();
    await run.dispose();
  }
});
