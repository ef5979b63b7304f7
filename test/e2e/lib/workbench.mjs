// Playwright helpers that use the code-server workbench as a person would: open it with the
// extension under development loaded, run palette commands, find webview documents, switch the
// colour theme, take screenshots.
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CHROMIUM } from './install.mjs';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launchBrowser(playwrightCore) {
  const { chromium } = await import(playwrightCore);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** Workbench URL that loads the extension from `repoRoot` (and, optionally, the host tests). */
export function workbenchUrl(server, ws, repoRoot, testsPath) {
  const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload = [['extensionDevelopmentPath', remote(repoRoot)]];
  if (testsPath) payload.push(['extensionTestsPath', remote(testsPath)]);
  return `${server.url}/?folder=${encodeURIComponent(ws.folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

export async function newPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  return context.newPage();
}

export async function openWorkbench(page, url) {
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // The extension host is up and our manifest is read once its activity-bar entry shows.
  await page.locator('.activitybar .action-item a[aria-label^="Tensor Lens"]').first().waitFor({ timeout: 60_000 });
}

/** The quick-pick row labelled exactly `label` (not one that merely contains it). */
export function quickPickRow(page, label) {
  const exact = new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  return page
    .locator('.quick-input-widget .monaco-list-row', { has: page.locator('.label-name', { hasText: exact }) })
    .first();
}

export async function runCommand(page, title) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  const row = quickPickRow(page, title);
  await row.waitFor({ timeout: 15_000 });
  await row.click();
}

/** The document of the webview panel of `kind` (body[data-panel=kind]) inside its nested iframes. */
export async function webviewFrame(page, kind, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      const found = await frame.$(`body[data-panel="${kind}"]`).catch(() => null);
      if (found && (await found.isVisible().catch(() => false))) return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no visible "${kind}" webview after ${timeoutMs} ms`);
}

/** Reads a numeric attribute of the first element matching `selector` (NaN if absent). */
export async function numberAttr(frame, selector, attr) {
  const value = await frame
    .locator(selector)
    .first()
    .getAttribute(attr, { timeout: 2000 })
    .catch(() => null);
  return value === null ? NaN : Number(value);
}

export async function waitUntil(what, probe, timeoutMs, page) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await page.waitForTimeout(250);
  }
}

// How the theme picker labels "Default Light Modern" / "Default Dark Modern".
const THEME_LABELS = { light: 'Light Modern', dark: 'Dark Modern' };

/** Picks the theme in "Preferences: Color Theme", as a person would (the workbench may not watch settings.json). */
async function setTheme(page, theme) {
  // The workbench gets the theme's id as a class once the theme is fully applied.
  const workbench = page.locator(`.monaco-workbench.vscode-theme-defaults-themes-${theme}_modern-json`);
  if ((await workbench.count()) === 0) {
    await runCommand(page, 'Preferences: Color Theme');
    await quickPickRow(page, THEME_LABELS.dark).waitFor({ timeout: 10_000 }); // the theme list replaced the commands
    await page.locator('.quick-input-widget input').fill(THEME_LABELS[theme]);
    await quickPickRow(page, THEME_LABELS[theme]).click({ timeout: 10_000 });
    await workbench.waitFor({ timeout: 15_000 });
  }
  await page.waitForTimeout(800); // webviews restyle from the new theme variables
}

export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'screenshots');

/**
 * Saves `<name>-light.png` and `<name>-dark.png` of the page as it is now (after `prepare`, for
 * state a theme switch dismisses, such as a hover); ends in dark.
 */
export async function screenshotBothThemes(page, name, prepare = async () => {}) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const files = [];
  for (const theme of ['light', 'dark']) {
    await setTheme(page, theme);
    await prepare();
    const file = join(SCREENSHOT_DIR, `${name}-${theme}.png`);
    await page.screenshot({ path: file });
    files.push(file);
  }
  return files;
}

/**
 * The lines of the "Tensor Lens" output channel of every extension host this code-server started: a
 * LogOutputChannel writes to <logs>/<session>/<extension host>/<extension id>/Tensor Lens.log.
 */
export function tensorLensLog(ws) {
  const logs = join(ws.userData, 'logs');
  if (!existsSync(logs)) return [];
  return readdirSync(logs, { recursive: true })
    .filter((file) => basename(file) === 'Tensor Lens.log')
    .flatMap((file) => readFileSync(join(logs, file), 'utf8').split('\n'));
}

/** How many lines of the Tensor Lens log hold `text`. */
export const logged = (ws, text) => tensorLensLog(ws).filter((line) => line.includes(text)).length;
