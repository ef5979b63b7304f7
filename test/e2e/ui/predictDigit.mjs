// Right-click a real MNIST test digit PNG in the Explorer → "Predict Digit in Image…": the
// prediction view shows the digit's label.
import { basename } from 'node:path';
import { screenshotBothThemes, waitUntil, webviewFrame } from '../lib/workbench.mjs';

async function explorerRow(page, name) {
  return page
    .locator('.explorer-folders-view .monaco-list-row', { has: page.locator('.label-name', { hasText: name }) })
    .first();
}

export async function predictDigit(
  { page, ws },
  { menuItem = 'Predict Digit in Image', screenshot = 'prediction' } = {},
) {
  const digit = ws.digits[0];
  await page.keyboard.press('Control+Shift+E');
  const folder = await explorerRow(page, 'digits');
  await folder.waitFor({ timeout: 15_000 });
  if ((await folder.getAttribute('aria-expanded')) !== 'true') await folder.click();
  const file = await explorerRow(page, basename(digit.file));
  await file.waitFor({ timeout: 15_000 });
  await file.click({ button: 'right' });
  const item = page.locator('.context-view .action-menu-item', { hasText: menuItem }).first();
  await item.waitFor({ timeout: 10_000 });
  await item.hover();
  await page.keyboard.press('Enter'); // the menu acts on its focused item
  const frame = await webviewFrame(page, 'prediction');
  const predicted = frame.locator('#predicted-digit');
  const shown = await waitUntil(
    'a digit in #predicted-digit',
    async () => {
      const text = (await predicted.innerText({ timeout: 500 }).catch(() => '')).trim();
      return /^\d$/.test(text) && text;
    },
    60_000,
    page,
  );
  if (shown !== String(digit.label))
    throw new Error(`predicted ${shown} for ${basename(digit.file)}, whose MNIST label is ${digit.label}`);
  await screenshotBothThemes(page, screenshot);
}
