// Drawing pad, in Chromium: strokes drawn with the mouse over the pad of dist/webview/draw.js, each
// update (the frame callback that reads the pad, preprocesses it, runs the network and redraws the
// bars, hidden grid and top units) timed, with the weights of the book's model.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel, namedWeights } from '../src/trainer/model';
import { CHROMIUM, PLAYWRIGHT, type Page, type Playwright, pageHtml } from './dashboard';
import { type Figure, summarize } from './measure';

type MousePage = Page & {
  mouse: {
    move(x: number, y: number, options?: { steps: number }): Promise<void>;
    down(): Promise<void>;
    up(): Promise<void>;
  };
};

const INIT = `(() => {
  window.acquireVsCodeApi = () => ({ getState: () => undefined, setState: () => undefined, postMessage: () => {} });
  const raf = window.requestAnimationFrame.bind(window);
  window.__updates = [];
  window.requestAnimationFrame = (cb) => raf((ts) => {
    const t0 = performance.now();
    cb(ts);
    window.__updates.push(performance.now() - t0);
  });
})();`;

/** Milliseconds per pad update while drawing (null without playwright-core or Chromium). */
export async function measureDraw(strokes: number): Promise<Figure | null> {
  if (!existsSync(PLAYWRIGHT) || !existsSync(CHROMIUM)) return null;
  const model = buildModel(512, 42);
  const [kernel1, bias1, kernel2, bias2] = await Promise.all(
    namedWeights(model).map(async ({ variable }) => Array.from((await variable.read().data()) as Float32Array)),
  );
  model.dispose();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { chromium } = require(PLAYWRIGHT) as Playwright;
  const dir = mkdtempSync(join(tmpdir(), 'tensor-lens-draw-'));
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  try {
    const page = (await browser.newPage()) as MousePage;
    await page.addInitScript({ content: INIT });
    await page.goto(pageHtml(dir, 'dist/webview/draw.js', 'draw', 'draw'));
    await page.waitForFunction('document.getElementById("pad") !== null');
    await page.evaluate(`(() => {
      const w = ${JSON.stringify({ kernel1, bias1, kernel2, bias2 })};
      const weights = Object.fromEntries(Object.entries(w).map(([k, v]) => [k, new Float32Array(v)]));
      window.dispatchEvent(new MessageEvent('message', { data: { type: 'drawWeights', weights } }));
    })()`);
    const box = await page.evaluate<{ x: number; y: number; width: number }>(
      '(() => { const r = document.getElementById("pad").getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width }; })()',
    );
    await page.waitForFunction('window.__updates.length > 0');
    await page.evaluate('window.__updates = []');
    for (let s = 0; s < strokes; s++) {
      const x = box.x + box.width * (0.3 + 0.4 * (s / strokes));
      await page.mouse.move(x, box.y + box.width * 0.2);
      await page.mouse.down();
      await page.mouse.move(x + 10, box.y + box.width * 0.8, { steps: 10 });
      await page.mouse.up();
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    const updates = await page.evaluate<number[]>('window.__updates');
    if (updates.length < strokes) throw new Error(`only ${updates.length} updates for ${strokes} strokes`);
    return summarize(updates);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
