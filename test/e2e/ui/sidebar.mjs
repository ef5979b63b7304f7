// The "Tensor Lens" side panel: open it, expand a root, find a row by its label.
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
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
}
