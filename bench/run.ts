// `npm run bench`: the performance figures of Tensor Lens on this machine. Each figure is the
// median of several runs with min and max; speed-ups are ratios of runs interleaved in one
// process, because absolute timings on a shared machine move with its load.
// Writes bench/results/bench-<date>.json and prints a table.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { loadMnist } from '../src/trainer/mnistLoader';
import { BackendUnavailableError, selectBackend } from '../src/trainer/backend';
import { toFitData } from '../src/trainer/fitData';
import { measureActivation } from './activation';
import { measureTrainerStartup } from './trainerStartup';
import { BOOK_EPOCHS, CLI_DEFAULT, compareWithBook } from './bookComparison';
import { measureDashboard } from './dashboard';
import { measureIdxLoad } from './dataLoad';
import { type Figure, summarize } from './measure';
import { measurePhotoPrediction } from './photo';
import { measurePrediction } from './prediction';
import { measureDraw } from './draw';
import { measureKerasOverhead, overheadFigure, steadyOverheadFigure } from './kerasOverhead';
import { measureBatchLatency, measureKerasRuns } from './kerasRuns';
import { measureRuns } from './runs';
import { measureStep } from './step';
import { compareStreaming, weightSummaryMs } from './streaming';
import { compareThroughput } from './training';
import { idleDelay, measureHost } from './hostResponsiveness';
import { profileSteps } from './profile';
import { compareThreadScaling } from './threadScaling';
import { ALL_THREADS, compareTrainers } from './trainerSpeed';

/** Samples per throughput run (fastFit, model.fit): batches of 128; model.fit and the pure-JS cpu backend get fewer, they are slow. */
const THROUGHPUT_SAMPLES = { tensorflow: [30_720, 30_720], wasm: [30_720, 7_680], cpu: [1_280, 1_280] } as const;
const RUNS = 3;
/** `--profile`: also the per-batch time split of each trainer path; `--training-only`: skip the UI and I/O sections. */
const PROFILE = process.argv.includes('--profile');
const TRAINING_ONLY = process.argv.includes('--training-only');

interface Row {
  name: string;
  figure: Figure | null;
  unit: string;
  note: string;
}

const rows: Row[] = [];
const results: Record<string, unknown> = {};

function row(name: string, figure: Figure | null, unit: string, note = ''): void {
  rows.push({ name, figure, unit, note });
  const f = figure ? `${fmt(figure.median)} ${unit}  (min ${fmt(figure.min)}, max ${fmt(figure.max)})` : '—';
  console.log(`  ${name.padEnd(46)} ${f}${note ? `  ${note}` : ''}`);
}

function fmt(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toFixed(3);
}

async function section<T>(name: string, work: () => Promise<T>): Promise<T | null> {
  console.log(`\n${name}`);
  try {
    const value = await work();
    results[name] = value;
    return value;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    results[name] = { error: message };
    console.log(`  skipped: ${message}`);
    return null;
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverageAtStart: loadavg(),
  };
  console.log(
    `Tensor Lens bench — ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, load ${machine.loadAverageAtStart.map((l) => l.toFixed(1)).join(' ')}`,
  );
  const mnist = loadMnist();
  const backends = await trainerBackends();
  const native = backends.includes('tensorflow');

  for (const backend of [...(native ? (['tensorflow'] as const) : []), 'wasm', 'cpu'] as const) {
    await section(`training throughput (${backend}): fastFit vs model.fit, book model, batch 128`, async () => {
      try {
        await selectBackend(backend);
      } catch (e) {
        if (e instanceof BackendUnavailableError) throw new Error(e.message);
        throw e;
      }
      const [fastCount, naiveCount] = THROUGHPUT_SAMPLES[backend];
      const subset = (count: number) => toFitData(mnist.train.images, mnist.train.labels, 0, count);
      const t = await compareThroughput(subset(fastCount), subset(naiveCount), RUNS);
      row(`fastFit (${backend}, ${t.fastSamples} samples)`, t.fastFit, 'samples/s');
      row(`model.fit (${backend}, ${t.naiveSamples} samples)`, t.naiveFit, 'samples/s');
      row(`speed-up fastFit / model.fit (${backend})`, t.ratio, '×');
      row(`fastFit (${backend}) per CPU-second`, t.fastFitCpu, 'samples/s');
      row(`model.fit (${backend}) per CPU-second`, t.naiveFitCpu, 'samples/s');
      row(`speed-up in CPU time (${backend})`, t.cpuRatio, '×');
      return t;
    });
  }

  await section(`the book's run (${BOOK_EPOCHS} epochs × 60,000, batch 128): Tensor Lens next to Keras`, async () => {
    const book = await compareWithBook(mnist, RUNS, native);
    for (const why of book.skipped) console.log(`  skipped: ${why}`);
    for (const [name, engine] of Object.entries(book.engines)) {
      const accuracy = `test accuracy ${(engine.testAccuracy.median * 100).toFixed(2)} %`;
      row(name, engine.samplesPerSecond, 'samples/s', engine.ranOn ? `${engine.ranOn}; ${accuracy}` : accuracy);
      if (name !== 'fastFit (wasm)') row(`${name} / fastFit (wasm)`, engine.ratioToWasm, '×');
      if (name.startsWith('Keras')) continue;
      const target = name === CLI_DEFAULT ? 'target ≥ 0.6, goal ≥ 1' : '';
      if (engine.ratioToKeras) row(`${name} / Keras (default threads)`, engine.ratioToKeras, '×', target);
      if (engine.ratioToKerasOneThread) row(`${name} / Keras (1 thread)`, engine.ratioToKerasOneThread, '×');
    }
    return book;
  });

  const subset = (count: number) => toFitData(mnist.train.images, mnist.train.labels, 0, count);
  for (const backend of backends) {
    const wasm = backend === 'wasm';
    await section(
      `fused trainer (${backend}): vs the optimizer path and model.fit, 1 and ${ALL_THREADS} threads`,
      async () => {
        await selectBackend(backend);
        const t = await compareTrainers(subset(30_720), subset(7_680), 1, RUNS);
        for (const [label, figure] of Object.entries(t.rates)) row(`${label} (training loop)`, figure, 'samples/s');
        for (const [label, figure] of Object.entries(t.ratios)) {
          const target = !wasm
            ? ''
            : label.endsWith('/ today')
              ? label.startsWith('fused 1')
                ? 'target ≥ 1.25'
                : ''
              : label.endsWith('model.fit')
                ? 'target ≥ 6'
                : "one epoch of 30,720 in fresh workers: mostly their warm-up; the target is measured over the book's run below";
          row(label, figure, '×', target);
        }
        for (const [label, figure] of Object.entries(t.cpuRates)) row(`${label} per CPU-second`, figure, 'samples/s');
        for (const [label, figure] of Object.entries(t.cpuRatios)) row(label, figure, '×');
        row(`starting ${ALL_THREADS - 1} worker thread(s)`, t.workerStartSeconds, 's', 'once per run');
        return t;
      },
    );
  }

  await section(
    `threads over the book's run (the CLI on wasm, ${BOOK_EPOCHS} epochs × 60,000, everything streamed): ${ALL_THREADS} threads vs 1, and ${ALL_THREADS} separate one-thread CLIs at once`,
    async () => {
      const t = await compareThreadScaling(ALL_THREADS, BOOK_EPOCHS, RUNS);
      row('1 thread, alone', t.rates.alone, 'samples/s');
      row(`${ALL_THREADS} threads`, t.rates.threads, 'samples/s');
      row(`${ALL_THREADS} separate one-thread trainers, summed`, t.rates.separate, 'samples/s');
      for (const [label, figure] of Object.entries(t.ratios)) {
        row(label, figure, '×', label.endsWith('threads / 1 thread, whole run') ? 'target ≥ 1.7' : '');
      }
      return t;
    },
  );

  await section(`host responsiveness: a host process forks the trainer (1 vs ${ALL_THREADS} threads)`, async () => {
    const idle = await idleDelay(3000);
    row('no training: host event-loop delay p99 / max', summarize([idle.p99]), 'ms', `max ${fmt(idle.max)} ms`);
    const h = await measureHost([1, ALL_THREADS], 15_360, 2, 2);
    for (const [threads, f] of Object.entries(h)) {
      row(`${threads} thread(s): host event-loop delay p99`, f.delayP99, 'ms');
      row(`${threads} thread(s): host event-loop delay max`, f.delayMax, 'ms');
      row(`${threads} thread(s): getTensor answered mid-run`, f.tensorAnswer, 'ms');
      row(`${threads} thread(s): trainer throughput, streaming all`, f.samplesPerSecond, 'samples/s');
    }
    return h;
  });

  for (const backend of PROFILE ? backends : []) {
    await section(`profile (${backend}): per-batch time split, ms per batch of 128 (share)`, async () => {
      await selectBackend(backend);
      const p = await profileSteps(subset(7_680), RUNS);
      const phases = [...new Set(Object.values(p).flatMap((split) => Object.keys(split)))];
      const labels = Object.keys(p);
      console.log(`  ${'phase'.padEnd(22)} ${labels.map((l) => l.padStart(26)).join('')}`);
      for (const phase of [...phases, 'total']) {
        const cells = labels.map((l) => {
          if (phase === 'total') {
            const total = Object.values(p[l]).reduce((a, b) => a + b.msPerBatch, 0);
            return `${total.toFixed(2)} ms`.padStart(26);
          }
          const c = p[l][phase];
          return (c ? `${c.msPerBatch.toFixed(2)} ms (${(c.share * 100).toFixed(0)} %)` : '—').padStart(26);
        });
        console.log(`  ${phase.padEnd(22)} ${cells.join('')}`);
      }
      return p;
    });
  }

  if (TRAINING_ONLY) return finish(started, machine);

  await section(
    "live visualization cost (wasm): the book's 60,000-sample epoch streaming everything vs nothing",
    async () => {
      const s = await compareStreaming('wasm', 60_000, 1, 5);
      row(`stream all (${s.samples} samples × ${s.epochs} epochs)`, s.all, 'samples/s', `${s.eventsPerRun} events/run`);
      row('stream none', s.none, 'samples/s');
      row('all / none (1 = free, ≥ 0.95 = target)', s.ratio, '×');
      row('all / none in CPU time per sample', s.cpuRatio, '×');
      const summaries = await weightSummaryMs(5);
      row('weight stats + histograms, once per epoch', summaries, 'ms', 'vs a 60,000-sample epoch of several seconds');
      return { ...s, weightSummaryMs: summaries };
    },
  );

  await section('prediction (wasm): one PNG through the engine', async () => {
    const p = await measurePrediction('wasm', RUNS, 20);
    row('fresh process: load the saved model', p.coldLoad, 'ms');
    row('fresh process: first prediction (cold)', p.coldProcess, 'ms');
    row('first prediction on a newly trained model', p.firstOnNewModel, 'ms');
    row('prediction (warm)', p.warm, 'ms', 'target ≤ 50');
    return p;
  });

  await section('one training step up close (wasm, book model): MNIST: Train One Batch', async () => {
    const s = await measureStep(10, RUNS);
    row('engine: step request → report (batch, 8 tensor summaries)', s.step, 'ms');
    row('engine: step + gradient/dense/kernel for the inspector', s.stepAndTensor, 'ms');
    row('Chromium: dashboard step card shown', s.cardRender, 'ms', s.cardRender ? '' : 'no playwright-core');
    row('Chromium: inspector heatmap + 512 unit images shown', s.inspectorRender, 'ms');
    const total = s.totalMs === null ? null : summarize([s.totalMs]);
    row('a Step and its tensors shown (medians added)', total, 'ms', 'target ≤ 300');
    return s;
  });

  await section('prediction: a 12 MP JPEG photo, fresh process (targets ≤ 1 s warm, ≤ 300 MB peak)', async () => {
    // A trainer that only loaded the model reads it on wasm, with tfjs-node installed or not.
    const loaded = await measurePhotoPrediction(RUNS, 3);
    const on = loaded.backends.join(' → ');
    row('12 MP JPEG: warm prediction', loaded.warmMs, 'ms', `decode + preprocessing + forward pass (${on})`);
    row('12 MP JPEG: peak resident memory', loaded.peakMiB, 'MiB', 'whole trainer process, model included');
    // A trainer that trained on native TensorFlow predicts on it, with its library in the process.
    const afterNativeRun = native ? await measurePhotoPrediction(RUNS, 3, true) : null;
    const skipped = native ? '' : 'no tfjs-node';
    const after = afterNativeRun?.backends.join(' → ') ?? '';
    row('12 MP JPEG after a native run: warm', afterNativeRun?.warmMs ?? null, 'ms', skipped || after);
    row(
      '12 MP JPEG after a native run: peak',
      afterNativeRun?.peakMiB ?? null,
      'MiB',
      skipped || 'run + MNIST + TensorFlow',
    );
    return { loaded, afterNativeRun };
  });

  await section('drawing pad (Chromium): one update while drawing', async () => {
    const d = await measureDraw(6);
    row('read pad + preprocess + network + redraw', d, 'ms', d ? 'target ≤ 50' : 'no playwright-core');
    return d;
  });

  await section('50 kept runs opened (Runs view → panel)', async () => {
    const r = await measureRuns(50, RUNS);
    row('host: read, check and label 50 run records', r.read, 'ms');
    row('Chromium: Runs panel shows 50 runs (charts + table)', r.render, 'ms', r.render ? '' : 'no playwright-core');
    const total = r.totalMs === null ? null : summarize([r.totalMs]);
    row('50 kept runs open (medians added)', total, 'ms', 'target ≤ 500');
    return r;
  });

  await section('a Keras run opened (run format): 100,000 batches, 50 snapshots of 10 M parameters', async () => {
    const k = await measureKerasRuns(RUNS);
    row('open: every event folded + 50 snapshot headers', k.open, 'ms', 'target ≤ 2000');
    row("host's event loop while opening, p99", k.openDelayP99, 'ms');
    row("host's event loop while opening, worst", k.openDelayMax, 'ms');
    row('following a live writer (20,000 events), worst delay', summarize([k.followDelayMax]), 'ms');
    row('the same loop doing nothing for 1 s, worst delay', summarize([k.idleDelayMax]), 'ms', 'the load alone');
    return k;
  });

  await section("a Keras batch written → in the host's run registry (polling alone, no file watcher)", async () => {
    const latency = await measureBatchLatency(40);
    row('batch latency (median, min, max of 40)', latency, 'ms', 'target ≤ 1000');
    return latency;
  });

  await section(
    "the tensorlens callback in the user's own Keras fit: the book's chapter 2 run with and without it",
    async () => {
      const results = measureKerasOverhead(['tensorflow', 'jax'], RUNS);
      for (const r of results) {
        row(
          `Keras ${r.keras} on ${r.backend}: epoch time added`,
          steadyOverheadFigure(r),
          '%',
          'target ≤ 5 (median epoch after the first, with ÷ without)',
        );
        row(
          `Keras on ${r.backend}: whole fit time added`,
          overheadFigure(r),
          '%',
          `interleaved pairs; epochs whose first batch stalled: ${r.stallsWith} with, ${r.stallsWithout} without, of ${r.laterEpochsPerArm}`,
        );
        row(`Keras on ${r.backend}: time inside the callback's hooks`, summarize([r.hookPercentOfFit]), '% of fit');
      }
      return results;
    },
  );

  await section('IDX load: all 70,000 MNIST samples', async () => {
    const l = await measureIdxLoad(5);
    row(`loadMnist (${l.samples} samples)`, l.ms, 'ms', 'target ≤ 300');
    return l;
  });

  await section('extension activation (dist/extension.js, fresh process)', async () => {
    const a = measureActivation(5);
    if (typeof a === 'string') throw new Error(a);
    row('require(dist/extension.js)', a.require, 'ms');
    row('activate()', a.activate, 'ms');
    row('require + activate', a.total, 'ms', `target ≤ 100; tfjs modules in the bundle: ${a.tfjsInBundle}`);
    return a;
  });

  await section('trainer start-up (dist/trainer.js, fresh process)', async () => {
    const startup = await measureTrainerStartup(9);
    if (typeof startup === 'string') throw new Error(startup);
    row('fork to hello (tfjs loaded)', startup, 'ms');
    return startup;
  });

  await section('dashboard render (Chromium): full 5-epoch history', async () => {
    const d = await measureDashboard(RUNS);
    row(`first paint with ${d.batchPoints} batch points`, d.firstPaint, 'ms', 'target ≤ 500');
    row('script per live batches update', d.update, 'ms', 'target ≤ 8');
    return d;
  });

  finish(started, machine);
}

/** wasm, and native TensorFlow when tfjs-node is installed (`npm run setup:native`). */
async function trainerBackends(): Promise<('wasm' | 'tensorflow')[]> {
  try {
    await selectBackend('tensorflow');
    return ['wasm', 'tensorflow'];
  } catch (e) {
    if (!(e instanceof BackendUnavailableError)) throw e;
    console.log(`  native TensorFlow rows skipped: ${e.message}`);
    return ['wasm'];
  }
}

function finish(started: number, machine: Record<string, unknown>): void {
  const seconds = (performance.now() - started) / 1000;
  console.log(`\nbench took ${seconds.toFixed(0)} s`);
  const dir = join('bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      { date: new Date().toISOString(), machine: { ...machine, loadAverageAtEnd: loadavg() }, seconds, rows, results },
      null,
      2,
    ),
  );
  console.log(`results: ${file}`);
}

main().catch((e) => {
  console.error(`bench failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
