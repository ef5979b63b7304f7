// Dashboard render cost in Chromium: dist/webview/dashboard.js opened with a full 5-epoch history
// (2,345 batch points, 6 weight snapshots with histograms), then fed live `batches` updates as
// the host forwards them. Needs playwright-core in a cache folder outside the repo:
//   npm install --prefix ~/.cache/tensor-lens/bench playwright-core@1.57
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_TRAIN_CONFIG, type BatchPoint, type EpochMetrics, type TrainerEvent } from '../src/shared/protocol';
import { applyEvent, initialRunState, type RunState } from '../src/shared/runState';
import { engineFromSources } from '../test/support/sourceWorker';
import { type Figure, summarize } from './measure';

export const PLAYWRIGHT = join(homedir(), '.cache', 'tensor-lens', 'bench', 'node_modules', 'playwright-core');
export const CHROMIUM = '/usr/bin/chromium';
const EPOCHS = 5;
const BATCHES_PER_EPOCH = Math.ceil(60_000 / 128);
const LIVE_UPDATES = 40;
/** Batch points per live event: ~20 events/s at ~470 batches/s (a 60k epoch in ≈ 1 s on a fast machine) would be ~24. */
const POINTS_PER_UPDATE = 24;

// The part of playwright-core this benchmark uses (its types live outside the repo).
export interface Page {
  addInitScript(script: { content: string }): Promise<void>;
  goto(url: string): Promise<unknown>;
  waitForFunction(expression: string, arg?: unknown, options?: { timeout: number }): Promise<unknown>;
  evaluate<T>(expression: string): Promise<T>;
  close(): Promise<void>;
}
export interface Browser {
  newPage(): Promise<Page>;
  close(): Promise<void>;
}
export interface Playwright {
  chromium: { launch(options: { executablePath: string; headless: boolean; args: string[] }): Promise<Browser> };
}

export interface DashboardFigures {
  batchPoints: number;
  firstPaint: Figure;
  snapshotRender: Figure;
  update: Figure;
}

/** A real run's events (a short engine run streaming everything), stretched to a full 5-epoch history. */
export async function fullHistory(): Promise<RunState> {
  const state = initialRunState();
  const trainer = engineFromSources((event: TrainerEvent) => {
    if (event.type !== 'evaluation') applyEvent(state, event);
  });
  await trainer.handle({
    type: 'start',
    config: { ...DEFAULT_TRAIN_CONFIG, backend: 'wasm', trainLimit: 2_560, epochs: 2, stream: 'all' },
  });
  if (state.error !== null || state.started === null)
    throw new Error(`the run for the dashboard's history failed: ${state.error}`);
  const real = state.batches;
  const batches: BatchPoint[] = [];
  const epochs: EpochMetrics[] = [];
  for (let e = 1; e <= EPOCHS; e++) {
    for (let b = 0; b < BATCHES_PER_EPOCH; b++) {
      const step = (e - 1) * BATCHES_PER_EPOCH + b + 1;
      const source = real[step % real.length];
      batches.push({
        epoch: e,
        batch: b,
        step,
        loss: source.loss / e,
        accuracy: Math.min(1, source.accuracy + (1 - source.accuracy) * (e - 1) * 0.2),
      });
    }
    const last = state.epochs[Math.min(e, state.epochs.length) - 1];
    epochs.push({ ...last, epoch: e, epochs: EPOCHS });
  }
  const weights = Array.from({ length: EPOCHS + 1 }, (_, e) => ({
    ...state.weights[Math.min(e, state.weights.length - 1)],
    epoch: e,
  }));
  return {
    ...state,
    status: 'training',
    started: {
      ...state.started,
      config: { ...state.started.config, epochs: EPOCHS, trainLimit: null },
      trainSamples: 60_000,
      batchesPerEpoch: BATCHES_PER_EPOCH,
    },
    batches,
    epochs,
    weights,
    end: null,
  };
}

/** In the page: a stand-in for VS Code, and `__show(message)` resolving with ms until the frame after it is painted. */
export const SHOW_AND_TIME = `(() => {
  window.acquireVsCodeApi = () => ({ getState: () => undefined, setState: () => undefined, postMessage: () => {} });
  window.__show = (message) => new Promise((done) => {
    const t0 = performance.now();
    window.dispatchEvent(new MessageEvent('message', { data: message }));
    requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t0)));
  });
})();`;

export function pageHtml(dir: string, bundle: string, name = 'dashboard', css = 'dashboard'): string {
  const root = resolve('.');
  const file = join(dir, `${name}.html`);
  const url = (p: string) => pathToFileURL(join(root, p)).href;
  writeFileSync(
    file,
    `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<link rel="stylesheet" href="${url('media/webview/common.css')}"><link rel="stylesheet" href="${url(`media/webview/${css}.css`)}"></head>
<body class="vscode-dark"><main id="app"></main><script src="${pathToFileURL(resolve(bundle)).href}"></script></body></html>`,
  );
  return pathToFileURL(file).href;
}

/** In the page: the stand-in for VS Code, which answers `ready` with the snapshot, and a timer around every frame callback. */
export function initScript(snapshot: RunState): string {
  return `(() => {
  const snapshot = ${JSON.stringify(snapshot)};
  const bench = (window.__bench = { renders: [], snapshotAt: 0, firstPaint: 0 });
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (cb) => raf((ts) => {
    const t0 = performance.now();
    cb(ts);
    bench.renders.push(performance.now() - t0);
  });
  const deliver = (data) => window.dispatchEvent(new MessageEvent('message', { data }));
  window.acquireVsCodeApi = () => ({
    getState: () => undefined,
    setState: () => undefined,
    postMessage: (message) => {
      if (message.type !== 'ready') return;
      setTimeout(() => {
        bench.snapshotAt = performance.now();
        deliver({ type: 'runState', state: snapshot });
        // The frame after the one that rendered the snapshot is the first that shows it.
        raf(() => raf(() => (bench.firstPaint = performance.now())));
      }, 0);
    },
  });
  let step = snapshot.batches.length;
  bench.update = () => new Promise((done) => {
    const points = [];
    for (let i = 0; i < ${POINTS_PER_UPDATE}; i++) {
      step++;
      points.push({ epoch: ${EPOCHS}, batch: (step - 1) % ${BATCHES_PER_EPOCH}, step, loss: 0.05 + 0.01 * Math.sin(step), accuracy: 0.98 });
    }
    const before = bench.renders.length;
    const t0 = performance.now();
    deliver({ type: 'trainerEvents', events: [{ type: 'batches', points, samplesPerSecond: 12000 }] });
    const handler = performance.now() - t0;
    const wait = () => (bench.renders.length > before ? done(handler + bench.renders.slice(before).reduce((a, b) => a + b, 0)) : raf(wait));
    raf(wait);
  });
})();`;
}

export async function measureDashboard(runs: number): Promise<DashboardFigures> {
  return (await compareDashboards({ current: 'dist/webview/dashboard.js' }, runs)).current;
}

/** The same measurement for several builds of the dashboard (label → bundle file), page loads
 *  interleaved in one browser so every build sees the same machine load. */
export async function compareDashboards(
  bundles: Record<string, string>,
  runs: number,
): Promise<Record<string, DashboardFigures>> {
  for (const bundle of Object.values(bundles)) if (!existsSync(bundle)) throw new Error(`${bundle} not built`);
  if (!existsSync(PLAYWRIGHT))
    throw new Error(`playwright-core not found: npm install --prefix ~/.cache/tensor-lens/bench playwright-core@1.57`);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found (apt install chromium)`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { chromium } = require(PLAYWRIGHT) as Playwright;
  const snapshot = await fullHistory();
  const dir = mkdtempSync(join(tmpdir(), 'tensor-lens-dashboard-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  try {
    const labels = Object.keys(bundles);
    const urls = labels.map((label, i) => pageHtml(dir, bundles[label], `dashboard-${i}`));
    const raw = labels.map(() => ({
      firstPaint: [] as number[],
      snapshotRender: [] as number[],
      updates: [] as number[],
    }));
    for (let r = 0; r < runs; r++) {
      for (let i = 0; i < labels.length; i++) {
        // Alternating the order too, so no build always follows the same one.
        const b = r % 2 === 0 ? i : labels.length - 1 - i;
        const page = await browser.newPage();
        await page.addInitScript({ content: initScript(snapshot) });
        await page.goto(urls[b]);
        await page.waitForFunction('window.__bench && window.__bench.firstPaint > 0', undefined, { timeout: 30_000 });
        raw[b].firstPaint.push(await page.evaluate<number>('window.__bench.firstPaint'));
        raw[b].snapshotRender.push(
          await page.evaluate<number>('window.__bench.firstPaint - window.__bench.snapshotAt'),
        );
        for (let u = 0; u < LIVE_UPDATES; u++)
          raw[b].updates.push(await page.evaluate<number>('window.__bench.update()'));
        await page.close();
      }
    }
    return Object.fromEntries(
      labels.map((label, i) => [
        label,
        {
          batchPoints: snapshot.batches.length,
          firstPaint: summarize(raw[i].firstPaint),
          snapshotRender: summarize(raw[i].snapshotRender),
          update: summarize(raw[i].updates),
        },
      ]),
    );
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// node --import tsx bench/dashboard.ts [runs] [label=bundle.js ...]: the dashboard figures alone,
// e.g. a saved copy of the old bundle against the new one (default: dist/webview/dashboard.js).
if (require.main === module) {
  const [runsArg, ...pairs] = process.argv.slice(2);
  const bundles =
    pairs.length > 0
      ? Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]))
      : { current: 'dist/webview/dashboard.js' };
  const ms = (f: Figure) => `${f.median.toFixed(1)} ms (min ${f.min.toFixed(1)}, max ${f.max.toFixed(1)})`;
  compareDashboards(bundles, Number(runsArg ?? 5)).then(
    (figures) => {
      for (const [label, d] of Object.entries(figures)) {
        console.log(
          `${label}: first paint ${ms(d.firstPaint)}, snapshot render ${ms(d.snapshotRender)}, script per live update ${ms(d.update)} [${d.batchPoints} batch points]`,
        );
      }
    },
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exitCode = 1;
    },
  );
}
