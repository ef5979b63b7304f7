// "MNIST: Train One Batch" from the palette: a run starts paused and trains one batch; the dashboard
// shows that batch's digits, its loss before and after and the gradient and update sizes; its Step
// button trains the next batch; the tree lists the gradients with the tensor hovers; the inspector
// shows the first layer's gradient as 512 images of 28×28; Resume finishes the run.
import { runCommand, screenshotBothThemes, waitUntil, webviewFrame } from '../lib/workbench.mjs';
import { expand, openTensorLensView, treeRow } from './sidebar.mjs';

async function stepShown(frame, page, step) {
  const card = frame.locator('#step-card');
  await waitUntil(
    `the dashboard's step card at step ${step}`,
    async () => (await card.getAttribute('data-step', { timeout: 1000 }).catch(() => null)) === String(step),
    90_000,
    page,
  );
}

async function hoverRow(page, name) {
  await page.mouse.move(900, 600);
  await page.locator('.workbench-hover').first().waitFor({ state: 'hidden', timeout: 10_000 });
  await treeRow(page, name).locator('.label-name').hover();
  const hover = page.locator('.workbench-hover').first();
  await hover.waitFor({ state: 'visible', timeout: 15_000 });
  await page.waitForTimeout(700);
  return hover;
}

export async function stepThrough({ page }) {
  await runCommand(page, 'MNIST: Train One Batch');
  const frame = await webviewFrame(page, 'dashboard');
  await stepShown(frame, page, 1);
  const loss = await frame.locator('#step-loss').innerText();
  const [before, after] = (loss.match(/\d+(?:\.\d+)?/g) ?? []).map(Number);
  if (!(before > 0 && after > 0 && after < before)) throw new Error(`step 1 loss does not fall: "${loss}"`);
  const pause = frame.locator('#pause-button');
  if ((await pause.innerText()).trim() !== 'Resume') throw new Error('after a Step the run is not shown paused');
  const digits = await frame.locator('#step-digits').evaluate((c) => [c.width, c.height]);
  if (digits[0] !== 448 || digits[1] !== 224) throw new Error(`batch mosaic is ${digits.join('×')}, not 448×224`);
  const rows = await frame.locator('#step-tensors tr[data-weight]').count();
  if (rows !== 4) throw new Error(`step table has ${rows} weight rows, not 4`);

  // The dashboard's own Step button trains the next batch of the paused run.
  await frame.locator('#step-button').click();
  await stepShown(frame, page, 2);
  const secondLoss = await frame.locator('#step-loss').innerText();
  console.log(`    step 1: ${loss}; step 2: ${secondLoss}`);
  await frame.locator('#step-card').scrollIntoViewIfNeeded();
  // Page errors while the theme switches (a chart that throws leaves the rest of the panel unthemed).
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.stack));
  // The batch's background follows the theme: dark in a dark theme, light in a light one.
  const corner = () =>
    frame.locator('#step-digits').evaluate((c) => {
      const [r, g, b] = c.getContext('2d').getImageData(0, 0, 1, 1).data;
      return (r + g + b) / 3;
    });
  const shading = [];
  await screenshotBothThemes(page, 'step', async () => shading.push(await corner()));
  if (errors.length > 0) throw new Error(`errors while switching themes: ${errors.join(' | ')}`);
  if (!(shading[0] > 160 && shading[1] < 96))
    throw new Error(`the batch mosaic does not follow the theme: background ${shading.join(' (light), ')} (dark)`);

  // The tree: the step's gradients and updates, with the hovers every tensor has.
  await openTensorLensView(page);
  await expand(page, 'Last training step');
  await treeRow(page, 'gradient/dense/kernel').waitFor({ timeout: 30_000 });
  const hover = await hoverRow(page, 'gradient/dense/kernel');
  const text = await hover.innerText();
  if (!/784\s*[,×x]\s*512/.test(text) || !/mean/.test(text))
    throw new Error(`gradient tooltip lacks shape or stats: ${JSON.stringify(text.slice(0, 300))}`);
  await screenshotBothThemes(page, 'step-tooltip', () => hoverRow(page, 'gradient/dense/kernel'));
  await page.mouse.move(900, 600);

  // The inspector: the first layer's gradient as 512 images of 28×28, like the kernel.
  await treeRow(page, 'gradient/dense/kernel').click();
  const tensor = await webviewFrame(page, 'tensor');
  await waitUntil(
    'the inspector on gradient/dense/kernel',
    async () =>
      /gradient\/dense\/kernel.*784\D+512/.test(
        await tensor
          .locator('#tensor-title')
          .innerText({ timeout: 1000 })
          .catch(() => ''),
      ),
    30_000,
    page,
  );
  const filters = await tensor.locator('#unit-filters canvas').count();
  if (filters !== 512) throw new Error(`inspector shows ${filters} unit images for the gradient, not 512`);
  await screenshotBothThemes(page, 'step-gradient');

  // Resume: the paused run trains on to its end.
  await runCommand(page, 'MNIST: Show Training Dashboard');
  const dashboard = await webviewFrame(page, 'dashboard');
  await dashboard.locator('#pause-button').click();
  await waitUntil(
    'the resumed run to complete',
    async () =>
      (await dashboard
        .locator('#status')
        .innerText({ timeout: 1000 })
        .catch(() => '')) === 'completed',
    180_000,
    page,
  );
}
