// 50 kept runs opened: the host reading and checking their records from the store, labelling them
// by what differs, and (in Chromium) the Runs panel drawing their curves and table.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TRAIN_CONFIG, type EpochMetrics, type Optimizer } from '../src/shared/protocol';
import { RUN_RECORD_MARK, RUN_RECORD_VERSION, type RunRecord, runLabels } from '../src/shared/runRecord';
import { RunStore, newRunId } from '../src/extension/runStore';
import { CHROMIUM, PLAYWRIGHT, type Playwright, SHOW_AND_TIME, pageHtml } from './dashboard';
import { type Figure, summarize } from './measure';

export interface RunsFigures {
  runs: number;
  /** RunStore.records() (the records read and checked) + runLabels: what the host does before the panel gets the runs. */
  read: Figure;
  /** Chromium: the runs delivered to the panel → the frame that shows both charts and the table. */
  render: Figure | null;
  /** Medians added: the runs open. */
  totalMs: number | null;
}

/** `count` five-epoch runs whose settings vary the way people vary them (optimizer, learning rate, batch). */
function keptRuns(count: number): RunRecord[] {
  const optimizers: Optimizer[] = ['rmsprop', 'adam', 'sgd'];
  return Array.from({ length: count }, (_, i) => {
    const startedAt = 1_764_500_000_000 + i * 60_000;
    const epochs: EpochMetrics[] = Array.from({ length: 5 }, (_, e) => ({
      epoch: e + 1,
      epochs: 5,
      loss: 0.3 / (e + 1) + i * 0.001,
      accuracy: 0.9 + e * 0.018 - i * 0.0005,
      valLoss: 0.32 / (e + 1),
      valAccuracy: 0.9 + e * 0.015,
      seconds: 6,
      samplesPerSecond: 9000,
    }));
    return {
      mark: RUN_RECORD_MARK,
      version: RUN_RECORD_VERSION,
      id: newRunId(startedAt),
      startedAt,
      config: {
        ...DEFAULT_TRAIN_CONFIG,
        optimizer: optimizers[i % 3],
        learningRate: [0.001, 0.01, 0.0001][Math.floor(i / 3) % 3],
        batchSize: [128, 64][Math.floor(i / 9) % 2],
      },
      epochs,
      outcome: 'completed',
      evaluation: { testLoss: 0.07, testAccuracy: 0.978 },
    };
  });
}

export async function measureRuns(count: number, runs: number): Promise<RunsFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'tensor-lens-runs-'));
  try {
    const store = new RunStore(join(dir, 'runs'), () => count);
    await store.load();
    for (const record of keptRuns(count)) await store.save(record);
    const ids = store.list().map((s) => s.id);
    const readMs: number[] = [];
    let message = '';
    for (let r = 0; r < runs; r++) {
      const start = performance.now();
      const records = await store.records(ids);
      const labels = runLabels(records);
      message = JSON.stringify({ type: 'runs', runs: records.map((record, i) => ({ label: labels[i], record })) });
      readMs.push(performance.now() - start);
      if (records.length !== count) throw new Error(`read ${records.length} of ${count} runs`);
    }
    const render = await renderRuns(dir, message, runs);
    const read = summarize(readMs);
    return { runs: count, read, render, totalMs: render ? read.median + render.median : null };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function renderRuns(dir: string, message: string, runs: number): Promise<Figure | null> {
  if (!existsSync(PLAYWRIGHT) || !existsSync(CHROMIUM)) return null;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { chromium } = require(PLAYWRIGHT) as Playwright;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  const times: number[] = [];
  try {
    const url = pageHtml(dir, 'dist/webview/runs.js', 'runs', 'runs');
    for (let r = 0; r < runs; r++) {
      const page = await browser.newPage();
      await page.addInitScript({ content: SHOW_AND_TIME });
      await page.goto(url);
      await page.waitForFunction('document.getElementById("runs-table") !== null');
      times.push(await page.evaluate<number>(`window.__show(${message})`));
      const shown = await page.evaluate<number>('document.querySelectorAll("#runs-table tr[data-run]").length');
      if (shown !== JSON.parse(message).runs.length) throw new Error(`the panel shows ${shown} runs`);
      await page.close();
    }
  } finally {
    await browser.close();
  }
  return summarize(times);
}
