// After a reload of the window, the panels the earlier scenarios left open come back showing what they
// showed: the tensor inspector the same tensor, the prediction the same file, the mistake panel the
// same test digit, the runs panel the same runs. Each webview saved what it shows (setState); VS Code
// hands that to the host's serializer, which fills the panel again.
import { runCommand, waitUntil, webviewFrame } from '../lib/workbench.mjs';
import { expand, openTensorLensView, treeRow } from './sidebar.mjs';

const text = (frame, selector) =>
  frame
    .locator(selector)
    .first()
    .innerText({ timeout: 1000 })
    .then((s) => s.trim())
    .catch(() => '');

const attribute = (frame, name) =>
  frame
    .locator('body')
    .getAttribute(name, { timeout: 1000 })
    .catch(() => null);

/** What each panel shows, read from its page; '' or null while it waits for its content. */
const PANELS = [
  {
    kind: 'tensor',
    tab: 'Tensor: ',
    // Its placeholder is no content (before the reload it also read "Waiting for a tensor…", and two
    // placeholders compared equal).
    shows: async (frame) => {
      const title = await text(frame, '#tensor-title');
      return title.startsWith('Waiting') ? '' : title;
    },
  },
  // The file, not the digit: later scenarios trained other models, and the host predicts the file again.
  { kind: 'prediction', tab: 'Digit Prediction', shows: async (frame) => text(frame, '#file-name') },
  { kind: 'mistake', tab: 'A Mistake Explained', shows: async (frame) => attribute(frame, 'data-index') },
  {
    kind: 'runs',
    tab: 'MNIST Runs',
    shows: async (frame) => {
      const rows = await frame.locator('#runs-table tr[data-run] th').allInnerTexts();
      return rows.length > 0 ? rows.join(' | ') : null;
    },
  },
];

/** Brings the panel's tab to the front (a hidden webview has no page) and returns its page. */
async function showPanel(page, { kind, tab }) {
  const row = page.locator('.tabs-container .tab', { hasText: tab }).first();
  await row.waitFor({ timeout: 15_000 });
  await row.click();
  return webviewFrame(page, kind);
}

export async function restoreAfterReload({ page }) {
  // The inspector on a model weight (the step scenario left it on a step's gradient, which lives only
  // in the trainer a reload ends): a weight comes back from the saved model.
  await openTensorLensView(page);
  await expand(page, 'Model weights');
  await treeRow(page, 'dense/kernel').click();
  const before = new Map();
  for (const panel of PANELS) {
    const frame = await showPanel(page, panel).catch((e) => {
      throw new Error(`the ${panel.kind} panel is not open (the earlier scenarios open it): ${e.message}`);
    });
    const shown = await waitUntil(`the ${panel.kind} panel's content`, () => panel.shows(frame), 30_000, page);
    before.set(panel.kind, shown);
  }

  // Developer: Reload Window, as a user reloads: the workbench saves its state (each webview's setState
  // included) before it goes; a bare page reload may lose the newest state.
  const reloaded = page.waitForEvent('load', { timeout: 60_000 });
  await runCommand(page, 'Developer: Reload Window');
  await reloaded;
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.activitybar .action-item a[aria-label^="Tensor Lens"]').first().waitFor({ timeout: 60_000 });

  for (const panel of PANELS) {
    const frame = await showPanel(page, panel);
    let last = '';
    await waitUntil(
      `the ${panel.kind} panel to show "${before.get(panel.kind)}" again`,
      async () => {
        last = (await panel.shows(frame)) ?? '';
        return last === before.get(panel.kind);
      },
      // The mistake panel starts the trainer, reads MNIST and searches the nearest digits again.
      90_000,
      page,
    ).catch((e) => {
      throw new Error(`${e.message}; it shows "${last}"`);
    });
  }
  console.log(`    restored: ${[...before].map(([kind, shown]) => `${kind} "${shown}"`).join('; ')}`);
}
