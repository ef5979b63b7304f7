// Issue 21's scale target: a Keras run of 100,000 batches and 50 snapshots of a 10-million-parameter
// model, written as the spec says (docs/run-format.md) by a synthetic writer, opens in ≤ 2 s — its
// event file read and folded by the shared reader (src/shared/node/runFiles.ts) and the headers of
// all 50 snapshots read (the tree's statistics, the histograms over time) — and the event loop stays
// responsive while it reads and while a live writer (another process) keeps appending.
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DEFAULT_TIMING, KerasRunRegistry } from '../src/extension/kerasRuns';
import { NO_LOG } from '../src/extension/logger';
import { EventFollower, readSnapshot } from '../src/shared/node/runFiles';
import { snapshotFileName } from '../src/shared/runFormat/summary';
import { type Figure, summarize } from './measure';

export const SCALE = { batches: 100_000, batchesPerEpoch: 1_000, snapshots: 50 } as const;
/** 10,000,000 parameters: three [1826, 1826] kernels (over rawMaxElements: statistics only) and their biases (with values). */
const WEIGHTS = [0, 1, 2].flatMap((i) => [
  { name: `model/dense_${i}/kernel`, shape: [1826, 1826], dtype: 'float32', trainable: true },
  { name: `model/dense_${i}/bias`, shape: [1826], dtype: 'float32', trainable: true },
]);
const RAW_MAX_ELEMENTS = 1 << 20;
const BINS = 32;

function header(runId: string): object {
  return {
    type: 'header',
    format: 'tensorlens-run',
    version: 1,
    runId,
    name: 'scale',
    time: 1_796_500_000,
    writer: { name: 'bench', version: '1' },
    process: { pid: 1, host: 'bench-writer-elsewhere', startTicks: null, bootId: null },
    framework: { name: 'keras', version: '3.15.1', backend: 'jax' },
    params: { epochs: SCALE.batches / SCALE.batchesPerEpoch, steps: SCALE.batchesPerEpoch, verbose: 0 },
    model: {
      name: 'model',
      class: 'Sequential',
      summary: 'Model: "model"\n(synthetic)',
      layers: [0, 1, 2].map((i) => ({
        name: `dense_${i}`,
        class: 'Dense',
        outputShape: [null, 1826],
        params: 1826 * 1827,
      })),
      weights: WEIGHTS,
    },
    snapshots: { histogramBins: BINS, rawMaxElements: RAW_MAX_ELEMENTS, budget: 0.02 },
  };
}

/** A snapshot file as §3 lays it out: statistics for every weight, float32 values for the small ones. */
function snapshotBytes(index: number, step: number): Buffer {
  let offset = 0;
  const weights = WEIGHTS.map((w) => {
    const count = w.shape.reduce((a, b) => a * b, 1);
    const values = count <= RAW_MAX_ELEMENTS ? { offset, length: 4 * count, dtype: 'float32' } : null;
    if (values) offset += values.length;
    const sampled = Math.min(count, 65_536);
    const counts = Array.from({ length: BINS }, (_, b) =>
      b < BINS - 1 ? Math.floor(sampled / BINS) : sampled - Math.floor(sampled / BINS) * (BINS - 1),
    );
    return {
      ...w,
      count,
      min: -0.1,
      max: 0.1,
      mean: 0,
      std: 0.05,
      norm: 50,
      zeros: 0,
      nans: 0,
      infs: 0,
      histogram: { low: -0.1, high: 0.1, sampled, counts },
      update: index === 1 ? null : 0.001,
      values,
    };
  });
  const epoch = Math.floor(step / SCALE.batchesPerEpoch);
  let json = Buffer.from(
    JSON.stringify({ index, epoch, batch: (step % SCALE.batchesPerEpoch) - 1, step, reason: 'budget', weights }),
  );
  json = Buffer.concat([json, Buffer.alloc(Math.ceil((24 + json.length) / 8) * 8 - 24 - json.length, 0x20)]);
  const preamble = Buffer.alloc(24);
  preamble.write('TLSNAP1\n', 0, 'latin1');
  preamble.writeBigUInt64LE(BigInt(json.length), 8);
  preamble.writeBigUInt64LE(BigInt(offset), 16);
  const data = Buffer.alloc(offset);
  for (let i = 0; i < offset / 4; i++) data.writeFloatLE(Math.sin(i + index) * 0.1, 4 * i);
  return Buffer.concat([preamble, json, data]);
}

const batchLine = (epoch: number, batch: number, step: number) =>
  `{"type":"batch","epoch":${epoch},"batch":${batch},"batches":1,"step":${step},"time":${1_796_500_000 + step * 0.01},"logs":{"accuracy":${(0.9 + 0.1 * Math.sin(step)).toFixed(6)},"loss":${(0.3 + 0.1 * Math.cos(step)).toFixed(6)}}}\n`;

/** Writes the run under `base`/.tensorlens/runs/; returns its folder and event file size. */
export function writeScaleRun(base: string): { folder: string; eventBytes: number; snapshotBytes: number } {
  const runId = '20261206T000000Z-scale-000000';
  const folder = join(base, '.tensorlens', 'runs', runId);
  mkdirSync(join(folder, 'snapshots'), { recursive: true });
  const lines: string[] = [`${JSON.stringify(header(runId))}\n`];
  const snapshotEvery = SCALE.batches / SCALE.snapshots;
  let snapshotTotal = 0;
  const snapshot = (index: number, step: number) => {
    const bytes = snapshotBytes(index, step);
    writeFileSync(join(folder, snapshotFileName(index)), bytes);
    snapshotTotal += bytes.length;
    const epoch = Math.floor(step / SCALE.batchesPerEpoch);
    lines.push(
      `${JSON.stringify({ type: 'snapshot', index, file: snapshotFileName(index), bytes: bytes.length, reason: 'budget', epoch, batch: (step % SCALE.batchesPerEpoch) - 1, step, time: 1_796_500_000 + step * 0.01, seconds: 0.05 })}\n`,
    );
  };
  for (let step = 1; step <= SCALE.batches; step++) {
    const epoch = Math.floor((step - 1) / SCALE.batchesPerEpoch);
    const batch = (step - 1) % SCALE.batchesPerEpoch;
    lines.push(batchLine(epoch, batch, step));
    if (batch === SCALE.batchesPerEpoch - 1)
      lines.push(
        `{"type":"epoch","epoch":${epoch},"step":${step},"time":${1_796_500_000 + step * 0.01},"seconds":10,"logs":{"accuracy":0.95,"loss":0.2,"val_accuracy":0.94,"val_loss":0.25}}\n`,
      );
    if (step % snapshotEvery === 0) snapshot(step / snapshotEvery, step);
  }
  const text = lines.join('');
  writeFileSync(join(folder, 'events.jsonl'), text);
  return { folder, eventBytes: Buffer.byteLength(text), snapshotBytes: snapshotTotal };
}

export interface KerasRunFigures {
  eventBytes: number;
  snapshotBytes: number;
  /** Event file read and folded + the 50 snapshot headers read (ms). */
  open: Figure;
  /** The event loop's delay during the open (ms): 99th percentile and worst. */
  openDelayP99: Figure;
  openDelayMax: Figure;
  /** Following a live writer (another process appending 20,000 batch events in bursts): the loop's worst delay (ms). */
  followDelayMax: number;
  followedEvents: number;
  /** The same loop's worst delay over 1 s of doing nothing: what the machine's load alone costs (ms). */
  idleDelayMax: number;
}

async function openRun(folder: string, base: string): Promise<number> {
  const follower = new EventFollower(join(folder, 'events.jsonl'), base);
  await follower.poll();
  const summary = follower.summary;
  if (summary.batchSeries.steps.length !== SCALE.batches || summary.snapshots.length !== SCALE.snapshots)
    throw new Error(`read ${summary.batchSeries.steps.length} batches and ${summary.snapshots.length} snapshots`);
  for (const snapshot of summary.snapshots) await readSnapshot(folder, snapshot);
  return summary.batches;
}

/** A writer in another process, as a Keras run is: `count` batch lines in bursts of 200 every 10 ms. */
const WRITER = `
const fs = require('node:fs');
const [file, count] = [process.argv[1], Number(process.argv[2])];
const line = ${batchLine.toString()};
let step = ${SCALE.batches};
const timer = setInterval(() => {
  let text = '';
  for (let i = 0; i < 200 && step < ${SCALE.batches} + count; i++) { step++; text += line(${SCALE.batches / SCALE.batchesPerEpoch}, step - ${SCALE.batches} - 1, step); }
  fs.appendFileSync(file, text);
  if (step >= ${SCALE.batches} + count) clearInterval(timer);
}, 10);
`;

export async function measureKerasRuns(runs: number): Promise<KerasRunFigures> {
  const base = mkdtempSync(join(tmpdir(), 'tensor-lens-keras-scale-'));
  try {
    const written = writeScaleRun(base);
    const idle = monitorEventLoopDelay({ resolution: 1 });
    idle.enable();
    await new Promise((r) => setTimeout(r, 1000));
    idle.disable();
    // The scale run ends without an end record; the live phase appends to a copy's events.
    const open: number[] = [];
    const p99: number[] = [];
    const max: number[] = [];
    for (let i = 0; i < runs; i++) {
      const histogram = monitorEventLoopDelay({ resolution: 1 });
      histogram.enable();
      const start = performance.now();
      await openRun(written.folder, base);
      open.push(performance.now() - start);
      histogram.disable();
      p99.push(histogram.percentile(99) / 1e6);
      max.push(histogram.max / 1e6);
    }
    // Live: open, then follow (poll every 100 ms, as the extension's poll would) while a writer appends.
    const follower = new EventFollower(join(written.folder, 'events.jsonl'), base);
    await follower.poll();
    const appended = 20_000;
    const histogram = monitorEventLoopDelay({ resolution: 1 });
    histogram.enable();
    const writer = spawn(process.execPath, ['-e', WRITER, join(written.folder, 'events.jsonl'), String(appended)], {
      stdio: 'inherit',
    });
    const exited = new Promise((resolve) => writer.on('exit', resolve));
    let followed = 0;
    let writing = true;
    void exited.then(() => (writing = false));
    while (writing || followed < appended) {
      followed += (await follower.poll()).length;
      if (!writing && followed < appended && (await follower.poll()).length === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    histogram.disable();
    return {
      eventBytes: written.eventBytes,
      snapshotBytes: written.snapshotBytes,
      open: summarize(open),
      openDelayP99: summarize(p99),
      openDelayMax: summarize(max),
      followDelayMax: histogram.max / 1e6,
      followedEvents: followed,
      idleDelayMax: idle.max / 1e6,
    };
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

/**
 * Issue 21's latency target: a batch a live writer appends is in the host's run registry (which the
 * dashboard is sent from at once) within 1 s — by the registry's own polling at its default timing
 * alone, without the file watcher that makes it sooner where watching works.
 */
export async function measureBatchLatency(events: number): Promise<Figure> {
  const base = mkdtempSync(join(tmpdir(), 'tensor-lens-keras-latency-'));
  const registry = new KerasRunRegistry({ roots: () => [base], log: NO_LOG, timing: DEFAULT_TIMING });
  try {
    const runId = '20261206T000001Z-latency-000000';
    const folder = join(base, '.tensorlens', 'runs', runId);
    mkdirSync(folder, { recursive: true });
    const file = join(folder, 'events.jsonl');
    // This process as the writer, so the run is live and followed at the live pace.
    const process_ = { pid: process.pid, host: hostname(), startTicks: null, bootId: null };
    writeFileSync(file, `${JSON.stringify({ ...header(runId), process: process_ })}\n`);
    const writtenAt = new Map<number, number>();
    const latencies: number[] = [];
    registry.onDidChange((runs) => {
      const now = performance.now();
      const seen = runs.find((run) => run.folder === folder)?.summary.batches ?? 0;
      for (const [step, at] of writtenAt)
        if (step <= seen) {
          latencies.push(now - at);
          writtenAt.delete(step);
        }
    });
    registry.start();
    await new Promise((r) => setTimeout(r, 500)); // its first look has found the run
    for (let step = 1; step <= events; step++) {
      // 137 ms apart, so that writes fall at every phase of the poll.
      await new Promise((r) => setTimeout(r, 137));
      appendFileSync(file, batchLine(0, step - 1, step));
      writtenAt.set(step, performance.now());
    }
    const deadline = performance.now() + 5000;
    while (writtenAt.size > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (writtenAt.size > 0) throw new Error(`${writtenAt.size} of ${events} batches never reached the registry`);
    return summarize(latencies);
  } finally {
    registry.dispose();
    rmSync(base, { recursive: true, force: true });
  }
}
