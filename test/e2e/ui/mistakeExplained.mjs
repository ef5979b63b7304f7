// Clicking a misclassified digit in the dashboard's gallery explains it: its probabilities, the
// five nearest training digits with their labels, and the hidden units behind the wrong answer.
import { runCommand, screenshotBothThemes, waitUntil, webviewFrame } from '../lib/workbench.mjs';

export async function mistakeExplained({ page }) {
  await runCommand(page, 'MNIST: Show Training Dashboard');
  const dashboard = await webviewFrame(page, 'dashboard');
  const tile = dashboard.locator('#misclassified .digit-tile').first();
  await tile.scrollIntoViewIfNeeded({ timeout: 30_000 });
  const index = await tile.getAttribute('data-index');
  await tile.click();
  const frame = await webviewFrame(page, 'mistake');
  await waitUntil(
    `the mistake panel on test digit ${index}`,
    async () => (await frame.locator('body').getAttribute('data-index')) === index,
    30_000,
    page,
  );
  const title = await frame.locator('#mistake-title').innerText();
  if (!/read as a \d/.test(title)) throw new Error(`title: ${title}`);
  const nearest = await frame.locator('#mistake-nearest figure').count();
  const units = await frame.locator('#mistake-units figure').count();
  const bars = await frame.locator('#mistake-bars .bar-row').count();
  if (nearest !== 5 || units < 1 || bars !== 10) throw new Error(`nearest ${nearest}, units ${units}, bars ${bars}`);
  const labels = await frame.locator('#mistake-nearest figure').evaluateAll((f) => f.map((e) => e.dataset.label));
  console.log(`    ${title}; nearest training labels ${labels.join(', ')}; ${units} units`);
  await screenshotBothThemes(page, 'mistake');
}
