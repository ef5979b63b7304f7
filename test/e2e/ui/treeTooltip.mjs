// Hovering a dataset tensor in the side panel shows its shape, dtype, statistics and histogram.
import { screenshotBothThemes } from '../lib/workbench.mjs';
import { expand, openTensorLensView, treeRow } from './sidebar.mjs';

export async function hoverTensor(page, name) {
  // Away first, until any other hover (e.g. the activity bar's) has gone: one opens on entering a row.
  await page.mouse.move(900, 600);
  await page.locator('.workbench-hover').first().waitFor({ state: 'hidden', timeout: 10_000 });
  await treeRow(page, name).locator('.label-name').hover();
  const hover = page.locator('.workbench-hover').first();
  await hover.waitFor({ state: 'visible', timeout: 15_000 });
  await page.waitForTimeout(700); // let the fade-in finish, or screenshots catch it half transparent
  return hover;
}

export async function treeTooltip({ page }) {
  await openTensorLensView(page);
  await expand(page, 'Dataset');
  const hover = await hoverTensor(page, 'train_images');
  const text = await hover.innerText();
  for (const [what, pattern] of [
    ['dtype', /uint8/],
    ['shape', /60000\s*[,×x]\s*28\s*[,×x]\s*28/],
    ['mean', /mean/i],
    ['min', /min/i],
    ['max', /max/i],
  ]) {
    if (!pattern.test(text))
      throw new Error(`tooltip lacks the ${what} (${pattern}): ${JSON.stringify(text.slice(0, 300))}`);
  }
  const img = hover.locator('img[src^="data:image/png"]').first();
  await img.waitFor({ timeout: 5000 });
  const width = await img.evaluate((el) => el.naturalWidth);
  if (!(width > 0)) throw new Error('histogram image in the tooltip did not decode');
  await screenshotBothThemes(page, 'tensor-tooltip', () => hoverTensor(page, 'train_images'));
  await page.mouse.move(900, 600);
}
