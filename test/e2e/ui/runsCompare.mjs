// Runs kept and compared: a run with other settings (adam, lr 0.01) is trained from the palette;
// the Runs view lists it with the earlier runs; selecting two overlays their epoch curves with a
// legend by what differs; a chart's CSV button saves its data through the save dialog.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { logged, runCommand, screenshotBothThemes, waitUntil, webviewFrame } from '../lib/workbench.mjs';

/** The line src/extension/extension.ts logs when a tensorLens setting changes (SETTINGS_CHANGED there). */
const SETTINGS_CHANGED = 'settings: a tensorLens setting changed';
import { openTensorLensView, treeRow } from './sidebar.mjs';

/** Train Model from the palette, then wait for its row in the Runs view (newest first) to show 3 epochs and a test accuracy. */
async function trainToCompletion(page, rowLabel) {
  await runCommand(page, 'MNIST: Train Model');
  await openTensorLensView(page);
  await waitUntil(
    `a "${rowLabel}" run with its test accuracy in the Runs view`,
    async () =>
      /3\/3 epochs · test \d/.test(
        await treeRow(page, rowLabel)
          .innerText({ timeout: 1000 })
          .catch(() => ''),
      ),
    180_000,
    page,
  );
}

export async function runsCompare({ page, ws }) {
  const adam = treeRow(page, 'adam, lr 0.01');
  const rmsprop = treeRow(page, 'rmsprop, lr 0.001');
  // Two short runs of three epochs that differ in optimizer and learning rate only.
  const settingsFile = join(ws.folder, '.vscode', 'settings.json');
  const quick = { 'tensorLens.epochs': 3, 'tensorLens.trainLimit': 4096 };
  try {
    for (const [label, settings] of [
      ['rmsprop, lr 0.001', quick],
      ['adam, lr 0.01', { ...quick, 'tensorLens.optimizer': 'adam', 'tensorLens.learningRate': 0.01 }],
    ]) {
      const changesBefore = logged(ws, SETTINGS_CHANGED);
      writeFileSync(settingsFile, JSON.stringify(settings));
      await waitUntil(
        'the extension to log that it took the workspace settings',
        () => logged(ws, SETTINGS_CHANGED) > changesBefore,
        30_000,
        page,
      );
      await trainToCompletion(page, label);
    }
  } finally {
    writeFileSync(settingsFile, '{}');
  }

  await openTensorLensView(page);
  await adam.waitFor({ timeout: 30_000 });
  await rmsprop.waitFor({ timeout: 30_000 });
  await rmsprop.click();
  await adam.click({ modifiers: ['Control'] });

  const frame = await webviewFrame(page, 'runs');
  await waitUntil(
    'two runs in the Runs panel',
    async () => (await frame.locator('body').getAttribute('data-runs')) === '2',
    30_000,
    page,
  );
  const labels = await frame.locator('#runs-table tr[data-run] th').allInnerTexts();
  if (!labels.some((l) => /adam, lr 0\.01/.test(l)) || !labels.some((l) => /rmsprop, lr 0\.001/.test(l)))
    throw new Error(`legend labels do not name what differs: ${JSON.stringify(labels)}`);
  const lines = Number(await frame.locator('#loss-container').getAttribute('data-lines'));
  if (lines !== 2) throw new Error(`the loss chart has ${lines} lines, not 2`);
  // Every run's whole record: each completed its epoch and has a test accuracy.
  const cells = await frame.locator('#runs-table tr[data-run] td:last-child').allInnerTexts();
  if (cells.length !== 2 || !cells.every((c) => /\d+(\.\d+)?\s*%/.test(c)))
    throw new Error(`runs without their test accuracy: ${JSON.stringify(cells)}`);
  console.log(`    runs compared: ${labels.join(' | ')}`);
  await screenshotBothThemes(page, 'runs');

  // The loss chart's CSV, saved through the host's save dialog (its default: the workspace folder).
  const csvFile = join(ws.folder, 'mnist-runs-loss.csv');
  await frame.locator('#loss-title').scrollIntoViewIfNeeded();
  await frame.locator('.export-csv').first().click();
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: 15_000 });
  await page.waitForTimeout(500);
  await input.press('Enter');
  await waitUntil('the CSV to be saved', async () => existsSync(csvFile), 30_000, page);
  const csv = readFileSync(csvFile, 'utf8').split('\r\n');
  if (!/^epoch,/.test(csv[0]) || !/adam, lr 0\.01/.test(csv[0]) || !/^1,[\d.]+,[\d.]+$/.test(csv[1]))
    throw new Error(`unexpected CSV: ${JSON.stringify(csv.slice(0, 3))}`);
  console.log(`    saved ${csvFile}: ${csv[0]}`);

  // The accuracy chart's picture: a real PNG of the chart's size.
  const pngFile = join(ws.folder, 'mnist-runs-accuracy.png');
  await frame.locator('#accuracy-title').scrollIntoViewIfNeeded();
  await frame.locator('.export-png').nth(1).click();
  await input.waitFor({ timeout: 15_000 });
  await page.waitForTimeout(500);
  await input.press('Enter');
  await waitUntil('the PNG to be saved', async () => existsSync(pngFile), 30_000, page);
  const png = readFileSync(pngFile);
  const width = png.readUInt32BE(16);
  const canvasWidth = await frame.locator('#accuracy-chart').evaluate((c) => c.width);
  if (png.subarray(1, 4).toString() !== 'PNG' || width !== canvasWidth)
    throw new Error(`${pngFile} is not the chart's PNG (${png.length} bytes, width ${width} vs ${canvasWidth})`);
}
