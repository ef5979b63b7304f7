// The workbench loads the extension: its view shows the four roots of the tensor tree, and the
// palette offers the MNIST commands.
import { screenshotBothThemes } from '../lib/workbench.mjs';
import { openTensorLensView, treeRow } from './sidebar.mjs';

export async function smoke({ page, ws }) {
  await openTensorLensView(page);
  for (const root of ['Dataset', 'Model weights', 'Layer outputs', 'Last prediction']) {
    await treeRow(page, root).waitFor({ timeout: 10_000 });
  }
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').fill('>MNIST:');
  const rows = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'MNIST:' });
  await rows.first().waitFor({ timeout: 10_000 });
  for (const title of ['Train Model', 'Inspect Dataset Samples', 'Show Training Dashboard']) {
    await page.locator('.quick-input-widget .monaco-list-row', { hasText: `MNIST: ${title}` }).first().waitFor({ timeout: 5000 });
  }
  await screenshotBothThemes(page, ws, 'command-palette');
  await page.keyboard.press('Escape');
}
