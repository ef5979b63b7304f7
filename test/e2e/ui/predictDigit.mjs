// Right-click a real MNIST test digit PNG in the Explorer → "Predict Digit in Image…": the
// prediction view shows the digit's label. Then a photo-like picture (a 7 on ruled paper): the
// steps strip shows the five stages; then two digits side by side: the view says it is unsure.
import { basename } from 'node:path';
import { screenshotBothThemes, waitUntil, webviewFrame } from '../lib/workbench.mjs';

async function explorerRow(page, name) {
  return page
    .locator('.explorer-folders-view .monaco-list-row', { has: page.locator('.label-name', { hasText: name }) })
    .first();
}

/** Right-clicks `name` in the Explorer's digits folder and runs `menuItem` (Predict Digit in Image…) on it. */
async function predictFromExplorer(page, name, menuItem) {
  await page.keyboard.press('Control+Shift+E');
  const folder = await explorerRow(page, 'digits');
  await folder.waitFor({ timeout: 15_000 });
  if ((await folder.getAttribute('aria-expanded')) !== 'true') await folder.click();
  const file = await explorerRow(page, name);
  await file.waitFor({ timeout: 15_000 });
  await file.click({ button: 'right' });
  const item = page.locator('.context-view .action-menu-item', { hasText: menuItem }).first();
  await item.waitFor({ timeout: 10_000 });
  await item.hover();
  await page.keyboard.press('Enter'); // the menu acts on its focused item
  return webviewFrame(page, 'prediction');
}

/** Waits until the view shows `name` with its five step pictures, and returns the digit shown. */
async function shownPrediction(page, frame, name) {
  return waitUntil(
    `the prediction of ${name} with its steps`,
    async () => {
      const title = (
        await frame
          .locator('#file-name')
          .innerText({ timeout: 500 })
          .catch(() => '')
      ).trim();
      const steps = await frame.locator('#steps canvas').count();
      const text = (
        await frame
          .locator('#predicted-digit')
          .innerText({ timeout: 500 })
          .catch(() => '')
      ).trim();
      return title === name && steps === 5 && /^\d$/.test(text) && text;
    },
    60_000,
    page,
  );
}

/** `menuItem` and `unsureNote` in the display language; screenshots named `screenshot`-photo, -unsure. */
export async function predictDigit(
  { page, ws },
  { menuItem = 'Predict Digit in Image', screenshot = 'prediction', unsureNote = /several marks/ } = {},
) {
  const digit = ws.digits[0];
  let frame = await predictFromExplorer(page, basename(digit.file), menuItem);
  const shown = await shownPrediction(page, frame, basename(digit.file));
  if (shown !== String(digit.label))
    throw new Error(`predicted ${shown} for ${basename(digit.file)}, whose MNIST label is ${digit.label}`);
  if ((await frame.locator('#top3 li').count()) !== 3) throw new Error('the top 3 list does not have 3 entries');
  if ((await frame.locator('#probabilities .export-png, #probabilities .export-csv').count()) !== 2)
    throw new Error('the probability chart has no PNG and CSV export buttons');
  await screenshotBothThemes(page, screenshot);

  frame = await predictFromExplorer(page, basename(ws.photo.file), menuItem);
  await shownPrediction(page, frame, basename(ws.photo.file));
  const stepNames = await frame.locator('#steps canvas').evaluateAll((els) => els.map((e) => e.dataset.step));
  if (stepNames.join() !== 'original,normalised,ink,digit,input') throw new Error(`steps shown: ${stepNames}`);
  await screenshotBothThemes(page, `${screenshot}-photo`);

  // A 12 MP-class JPEG goes through sharp (decoded scaled); the answer is the digit on the page.
  frame = await predictFromExplorer(page, basename(ws.largePhoto.file), menuItem);
  const large = await shownPrediction(page, frame, basename(ws.largePhoto.file));
  if (large !== String(ws.largePhoto.label))
    throw new Error(`predicted ${large} for ${basename(ws.largePhoto.file)}, a ${ws.largePhoto.label}`);

  frame = await predictFromExplorer(page, basename(ws.twoDigits), menuItem);
  await shownPrediction(page, frame, basename(ws.twoDigits));
  const unsure = frame.locator('#unsure');
  await waitUntil(
    'the unsure note',
    async () => unsureNote.test(await unsure.innerText({ timeout: 500 }).catch(() => '')),
    20_000,
    page,
  );
  await screenshotBothThemes(page, `${screenshot}-unsure`);
}
