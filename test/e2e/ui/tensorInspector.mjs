// Clicking dense/kernel under "Model weights" opens the tensor inspector with its heatmap drawn.
import { screenshotBothThemes, waitUntil, webviewFrame } from '../lib/workbench.mjs';
import { expand, openTensorLensView, treeRow } from './sidebar.mjs';

export async function tensorInspector({ page }) {
  await openTensorLensView(page);
  await expand(page, 'Model weights');
  const row = treeRow(page, 'dense/kernel');
  await row.waitFor({ timeout: 30_000 });
  await row.click();
  const frame = await webviewFrame(page, 'tensor');
  await frame.locator('#tensor-heatmap').waitFor({ state: 'visible', timeout: 30_000 });
  const expected = /dense\/kernel.*float32.*784\D+512/;
  const titleText = () =>
    frame
      .locator('#tensor-title')
      .innerText({ timeout: 1000 })
      .catch(() => '');
  await waitUntil(
    '#tensor-title to name dense/kernel float32 [784, 512]',
    async () => expected.test(await titleText()),
    30_000,
    page,
  ).catch(async (e) => {
    throw new Error(`${e.message}; it reads "${await titleText()}"`);
  });
  // A drawn heatmap of trained weights has many distinct colours; a blank canvas has one.
  const colours = await frame.locator('#tensor-heatmap').evaluate((canvas) => {
    const ctx = canvas.getContext('2d');
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const set = new Set();
    for (let i = 0; i < data.length && set.size < 1000; i += 4 * 7)
      set.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    return set.size;
  });
  if (colours < 20) throw new Error(`#tensor-heatmap shows only ${colours} distinct colours`);
  await screenshotBothThemes(page, 'tensor-inspector');
  await frame.locator('#tensor-heatmap').scrollIntoViewIfNeeded();
  await screenshotBothThemes(page, 'tensor-heatmap');
}
