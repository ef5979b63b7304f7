// "MNIST: Draw a Digit": a stroke drawn with the mouse is read live — a straight vertical stroke is
// a 1 — with the 28×28 input, the ten bars, the 512 hidden units and the units behind the answer.
import { runCommand, screenshotBothThemes, waitUntil, webviewFrame } from '../lib/workbench.mjs';

export async function drawDigit({ page }) {
  await runCommand(page, 'MNIST: Draw a Digit');
  const frame = await webviewFrame(page, 'draw');
  await frame.locator('#draw-waiting').waitFor({ state: 'hidden', timeout: 60_000 });
  const pad = frame.locator('#pad');
  const box = await pad.boundingBox();
  if (!box || box.width < 200) throw new Error(`the pad is not on screen: ${JSON.stringify(box)}`);
  // A vertical stroke down the middle, as a pen would draw a 1.
  const x = box.x + box.width / 2;
  await page.mouse.move(x, box.y + box.height * 0.15);
  await page.mouse.down();
  await page.mouse.move(x + 4, box.y + box.height * 0.85, { steps: 20 });
  await page.mouse.up();
  // The pad reads the drawing once per animation frame, so data-digit may still be a frame-old reading
  // of part of the stroke: a frame requested now runs after the one the last pointer event scheduled.
  await frame.evaluate(() => new Promise((resolve) => globalThis.requestAnimationFrame(() => resolve())));
  const digit = () => frame.locator('body').getAttribute('data-digit');
  await waitUntil('the pad to read the stroke', async () => ((await digit()) ?? '') !== '', 15_000, page);
  if ((await digit()) !== '1') throw new Error(`a vertical stroke was read as ${await digit()}, not 1`);
  const bars = await frame.locator('#draw-probabilities .bar-row').count();
  const answer = await frame.locator('#draw-probabilities .bar-row.answer').getAttribute('data-digit');
  if (bars !== 10 || answer !== '1') throw new Error(`bars: ${bars}, highlighted: ${answer}`);
  const units = await frame.locator('#draw-top .unit-tile').count();
  if (units < 1) throw new Error('no hidden unit shown as pushing toward the answer');
  const [hiddenWidth, hiddenHeight] = await frame.locator('#draw-hidden').evaluate((c) => [c.width, c.height]);
  if (hiddenWidth !== 32 * 14 || hiddenHeight !== 16 * 14)
    throw new Error(`hidden grid ${hiddenWidth}×${hiddenHeight}`);
  const ink = await frame.locator('#draw-input').evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, 28, 28).data;
    const lum = [];
    for (let i = 0; i < d.length; i += 4) lum.push(d[i] + d[i + 1] + d[i + 2]);
    return Math.max(...lum) - Math.min(...lum);
  });
  if (ink < 200) throw new Error('the 28×28 input shows no stroke');
  console.log(`    read as ${answer}: ${await frame.locator('#draw-answer').innerText()}, ${units} units shown`);
  await screenshotBothThemes(page, 'draw');
  await frame.locator('#draw-top').scrollIntoViewIfNeeded();
  await screenshotBothThemes(page, 'draw-units');
  await frame.locator('#draw-clear').click();
  await waitUntil('the pad to clear', async () => (await digit()) === '', 10_000, page);
}
