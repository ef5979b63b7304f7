// "MNIST: Train Model" from the palette: the dashboard's loss curve gains points while the run
// goes, the status bar shows progress, and the run ends with a test accuracy on the dashboard.
import { availableParallelism } from 'node:os';
import { runCommand, screenshotBothThemes, waitUntil, webviewFrame } from '../lib/workbench.mjs';

const POINTS = '#loss-chart-container';

export async function trainDashboard({ page }) {
  // The dashboard is open before the run starts, so its first look never depends on how fast a warm
  // trainer gets through the quick run (12,000 samples took about a second, before Train's panel was found).
  await runCommand(page, 'MNIST: Show Training Dashboard');
  const frame = await webviewFrame(page, 'dashboard');
  await frame.locator(POINTS).waitFor({ state: 'attached', timeout: 30_000 });
  await runCommand(page, 'MNIST: Train Model');
  const points = async () =>
    Number(
      (await frame
        .locator(POINTS)
        .getAttribute('data-points', { timeout: 2000 })
        .catch(() => null)) ?? NaN,
    );
  const statusItems = page.locator('.statusbar-item[id^="tensor-lens.tensor-lens"]');

  // Sample the curve and the status bar until the test accuracy appears.
  const seen = [];
  let statusWhileTraining = '';
  const accuracy = frame.locator('#test-accuracy');
  await waitUntil(
    'a test accuracy on the dashboard',
    async () => {
      const n = await points();
      if (Number.isFinite(n) && n !== seen.at(-1)) seen.push(n);
      if (!statusWhileTraining && (await statusItems.count()) > 0) {
        const text = (await statusItems.allInnerTexts()).join(' | ');
        if (/\d/.test(text)) statusWhileTraining = text;
      }
      return /\d/.test((await accuracy.innerText({ timeout: 500 }).catch(() => '')) ?? '');
    },
    180_000,
    page,
  );
  const final = await points();
  if (!(final > 0)) throw new Error(`#loss-chart-container data-points = ${final} after training`);
  if (seen.length < 2 || seen.some((n, i) => i > 0 && n < seen[i - 1])) {
    throw new Error(`loss curve did not grow while training: data-points went ${seen.join(' → ')}`);
  }
  if (!statusWhileTraining) throw new Error('no Tensor Lens status bar item with progress seen while training');
  const text = await accuracy.innerText();
  const percent = Number(/(\d+(?:\.\d+)?)\s*%/.exec(text)?.[1] ?? NaN);
  const value = Number.isFinite(percent) ? percent / 100 : Number(/0?\.\d+/.exec(text)?.[0] ?? NaN);
  // One epoch on a few thousand samples already classifies most of the 10,000 test digits.
  if (!(value > 0.8 && value <= 1))
    throw new Error(`test accuracy "${text}" is not a plausible accuracy after training`);
  // The backend line names the threads that trained: `auto` in the editor leaves a core free on wasm.
  const backend = await frame.locator('#backend').innerText();
  const cores = availableParallelism();
  const threads = backend.startsWith('wasm') ? Math.max(1, Math.min(4, cores - 1)) : 1;
  if (!new RegExp(`^(wasm|tensorflow), ${threads} threads?$`).test(backend))
    throw new Error(`backend line "${backend}", expected ${threads} thread(s) on ${cores} cores`);
  console.log(
    `    data-points ${seen.join(' → ')}; status "${statusWhileTraining}"; backend "${backend}"; test accuracy ${text}`,
  );
  await screenshotBothThemes(page, 'dashboard');
  await frame.locator('#confusion-matrix').scrollIntoViewIfNeeded({ timeout: 10_000 });
  await screenshotBothThemes(page, 'dashboard-evaluation');

  // Gradients over time: a row per epoch, the dead units, gradient histograms beside the weights'.
  await frame.locator('#gradients-title').scrollIntoViewIfNeeded({ timeout: 10_000 });
  const gradientRows = await frame.locator('#gradient-table tr[data-epoch]').count();
  const dead = await frame.locator('#dead-units').innerText();
  await waitUntil(
    'the four gradient histograms',
    async () => (await frame.locator('#gradient-grid canvas').count()) === 4,
    10_000,
    page,
  );
  if (gradientRows < 1 || !/\d+ of 512 hidden units/.test(dead))
    throw new Error(`gradients: ${gradientRows} rows, "${dead}"`);
  await frame.locator('#gradient-grid').scrollIntoViewIfNeeded({ timeout: 10_000 });
  await screenshotBothThemes(page, 'dashboard-gradients');
}
