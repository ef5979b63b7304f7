// One training step up close (MNIST: Train One Batch) on the book's model: the engine from the step
// request to its report (batch trained, gradients and updates summarised) plus the first layer's
// gradient fetched for the inspector (getTensor and the host's payload); then, in Chromium, the
// panels showing them: the dashboard's step card, and the inspector drawing the gradient's heatmap
// and its 512 unit images. Needs playwright-core as bench/dashboard.ts does.
import { describeFault } from '../src/shared/faults';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TRAIN_CONFIG, type StepReport, type TrainerEvent, gradientName } from '../src/shared/protocol';
import type { TensorPayload } from '../src/shared/webviewProtocol';
import { tensorPayload } from '../src/extension/datasetStore';
import { Engine } from '../src/trainer/engine';
import { engineFromSources } from '../test/support/sourceWorker';
import { CHROMIUM, PLAYWRIGHT, type Playwright, SHOW_AND_TIME, pageHtml } from './dashboard';
import { type Figure, summarize } from './measure';

export interface StepFigures {
  /** Step request → step event (batch trained, 8 tensors summarised). */
  step: Figure;
  /** The same plus getTensor of gradient/dense/kernel and its inspector payload. */
  stepAndTensor: Figure;
  /** Chromium: the step report delivered to the dashboard → the frame that shows its card. */
  cardRender: Figure | null;
  /** Chromium: the gradient delivered to the inspector → the frame that shows heatmap and 512 unit images. */
  inspectorRender: Figure | null;
  /** stepAndTensor + the slower of the two renders, medians: a Step and its tensors shown. */
  totalMs: number | null;
}

async function engineSteps(steps: number) {
  const waiting = new Map<number, (event: TrainerEvent) => void>();
  const trainer = engineFromSources((event) => {
    const requestId = 'requestId' in event ? event.requestId : null;
    if (requestId !== null) waiting.get(requestId)?.(event);
    if (event.type === 'error') throw new Error(describeFault(event.fault));
  });
  let nextId = 1;
  const ask = <T extends TrainerEvent['type']>(request: (requestId: number) => Parameters<Engine['handle']>[0]) => {
    const requestId = nextId++;
    const answer = new Promise<TrainerEvent>((resolve) => waiting.set(requestId, resolve));
    void trainer.handle(request(requestId));
    return answer as Promise<Extract<TrainerEvent, { type: T }>>;
  };
  const config = { ...DEFAULT_TRAIN_CONFIG, backend: 'wasm' as const, epochs: 1 };
  // The first step loads MNIST and builds the model: not part of the figure.
  await ask<'step'>((requestId) => ({ type: 'step', requestId, config }));
  const stepMs: number[] = [];
  const totalMs: number[] = [];
  let report: StepReport | null = null;
  let payload: TensorPayload | null = null;
  for (let i = 0; i < steps; i++) {
    const start = performance.now();
    report = (await ask<'step'>((requestId) => ({ type: 'step', requestId, config }))).report;
    stepMs.push(performance.now() - start);
    const name = gradientName('dense/kernel');
    const tensor = await ask<'tensor'>((requestId) => ({ type: 'getTensor', requestId, name }));
    payload = tensorPayload(tensor.name, tensor.shape, tensor.values);
    totalMs.push(performance.now() - start);
  }
  await trainer.handle({ type: 'stop' });
  if (!report || !payload) throw new Error('no step was measured');
  return { step: summarize(stepMs), stepAndTensor: summarize(totalMs), report, payload };
}

async function renders(report: StepReport, payload: TensorPayload, runs: number) {
  if (!existsSync(PLAYWRIGHT) || !existsSync(CHROMIUM)) return null;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { chromium } = require(PLAYWRIGHT) as Playwright;
  const dir = mkdtempSync(join(tmpdir(), 'tensor-lens-step-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  // Typed arrays as plain arrays in the script; the page rebuilds them before the clock starts.
  const reportJson = JSON.stringify({
    ...report,
    images: Array.from(report.images),
    labels: Array.from(report.labels),
  });
  const payloadJson = JSON.stringify({ ...payload, values: Array.from(payload.values ?? []) });
  const card: number[] = [];
  const inspector: number[] = [];
  try {
    const dashboardUrl = pageHtml(dir, 'dist/webview/dashboard.js');
    const tensorUrl = pageHtml(dir, 'dist/webview/tensor.js', 'tensor', 'tensor');
    for (let r = 0; r < runs; r++) {
      const page = await browser.newPage();
      await page.addInitScript({ content: SHOW_AND_TIME });
      await page.goto(dashboardUrl);
      await page.waitForFunction('document.getElementById("step-card") !== null');
      card.push(
        await page.evaluate<number>(`(() => {
          const report = ${reportJson};
          report.images = new Uint8Array(report.images);
          report.labels = new Uint8Array(report.labels);
          return window.__show({ type: 'trainerEvent', event: { type: 'step', requestId: 1, report } });
        })()`),
      );
      await page.close();
      const inspectorPage = await browser.newPage();
      await inspectorPage.addInitScript({ content: SHOW_AND_TIME });
      await inspectorPage.goto(tensorUrl);
      await inspectorPage.waitForFunction('document.getElementById("tensor-heatmap") !== null');
      inspector.push(
        await inspectorPage.evaluate<number>(`(() => {
          const tensor = ${payloadJson};
          tensor.values = new Float32Array(tensor.values);
          return window.__show({ type: 'tensor', tensor });
        })()`),
      );
      const units = await inspectorPage.evaluate<number>('document.querySelectorAll("#unit-filters canvas").length');
      if (units !== 512) throw new Error(`the inspector drew ${units} unit images, not 512`);
      await inspectorPage.close();
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return { card: summarize(card), inspector: summarize(inspector) };
}

export async function measureStep(steps: number, renderRuns: number): Promise<StepFigures> {
  const engine = await engineSteps(steps);
  const shown = await renders(engine.report, engine.payload, renderRuns);
  return {
    step: engine.step,
    stepAndTensor: engine.stepAndTensor,
    cardRender: shown?.card ?? null,
    inspectorRender: shown?.inspector ?? null,
    totalMs: shown ? engine.stepAndTensor.median + Math.max(shown.card.median, shown.inspector.median) : null,
  };
}
