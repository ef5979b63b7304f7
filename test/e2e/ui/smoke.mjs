// The workbench loads the extension: its view shows the four roots of the tensor tree, and the
// palette offers the MNIST commands.
import { screenshotBothThemes } from '../lib/workbench.mjs';
import { openTensorLensView, treeRow } from './sidebar.mjs';

async function paletteWithMnistCommands(page) {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').fill('>MNIST:');
  for (const title of ['Train Model', 'Inspect Dataset Samples', 'Show Training Dashboard']) {
    await page
      .locator('.quick-input-widget .monaco-list-row', { hasText: `MNIST: ${title}` })
      .first()
      .waitFor({ timeout: 10_000 });
  }
}

export async function smoke({ page }) {
  await openTensorLensView(page);
  for (const root of ['Dataset', 'Model weights', 'Layer outputs', 'Last prediction']) {
    await treeRow(page, root).waitFor({ timeout: 10_000 });
  }
  await paletteWithMnistCommands(page);
  await screenshotBothThemes(page, 'command-palette', () => paletteWithMnistCommands(page));
  await page.keyboard.press('Escape');
}
