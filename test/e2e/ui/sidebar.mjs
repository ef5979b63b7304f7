// The "Tensor Lens" side panel: open it, expand a root, find a row by its label.
import { waitUntil } from '../lib/workbench.mjs';
export async function openTensorLensView(page) {
  const item = page.locator('.activitybar .action-item:has(a[aria-label^="Tensor Lens"])').first();
  if (!((await item.getAttribute('class')) ?? '').includes('checked')) await item.locator('a').click();
  await treeRow(page, 'Dataset').waitFor({ timeout: 30_000 });
}

export function treeRow(page, label) {
  return page.locator('.sidebar .monaco-list-row', { has: page.locator('.label-name', { hasText: label }) }).first();
}

export async function expand(page, label) {
  const row = treeRow(page, label);
  await row.waitFor({ timeout: 30_000 });
  // A click that lands while the tree re-renders may only select the row (CI saw "Last training step"
  // selected, not expanded): click again, up to three times, until the row says it is expanded.
  for (let click = 0; click < 3; click++) {
    if ((await row.getAttribute('aria-expanded')) === 'true') return;
    await row.click();
    const expanded = async () => (await row.getAttribute('aria-expanded')) === 'true';
    if (await waitUntil(`"${label}" to expand`, expanded, 5_000, page).catch(() => false)) return;
  }
  throw new Error(`"${label}" in the side bar did not expand after three clicks`);
}
