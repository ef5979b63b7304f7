// `npm run test:e2e`: the extension in a real VS Code (code-server) driven by Playwright in
// Chromium. Installs what is missing, builds, runs the extension-host tests and then the UI tests,
// stops everything it started, and ends with a line "N passed, N failed" (exit 0 only if all pass).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTools } from './lib/install.mjs';
import { startCodeServer } from './lib/codeServer.mjs';
import { buildExtensionTests, runExtensionHostTests } from './lib/extensionHostTests.mjs';
import { SCREENSHOT_DIR, launchBrowser } from './lib/workbench.mjs';
import { createWorkspace } from './lib/workspace.mjs';
import { runUiTests } from './ui/index.mjs';
import { runInstalledTests } from './installed.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
process.chdir(repoRoot);
const only = process.env.E2E_ONLY; // "ext", "ui" or "installed": run one part (debugging)

const cleanups = [];
// What a signal handler can still do (synchronously) before exiting.
const onSignal = [];
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const undo of onSignal) undo();
    console.log(`\n[e2e] ${signal}: stopped code-server, removed the throw-away folders`);
    console.log('0 passed, 1 failed');
    process.exit(130);
  });
}

async function main() {
  const started = Date.now();
  rmSync(SCREENSHOT_DIR, { recursive: true, force: true }); // no stale FAILED-*.png from an earlier run
  const tools = ensureTools();
  console.log('[e2e] npm run build');
  execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });
  const testsPath = await buildExtensionTests(repoRoot);
  const logDir = join(repoRoot, 'test-results');
  mkdirSync(logDir, { recursive: true });
  const ws = createWorkspace(repoRoot);
  cleanups.push(ws.remove);
  onSignal.push(ws.remove);
  const server = await startCodeServer({ entry: tools.codeServer, ws, logDir });
  onSignal.unshift(server.killNow);
  cleanups.unshift(server.stop);
  console.log(`[e2e] code-server ${server.url} (pid ${server.pid}), workspace ${ws.folder}`);
  const browser = await launchBrowser(tools.playwrightCore);
  cleanups.unshift(() => browser.close());

  const totals = { passed: 0, failed: 0 };
  const add = (r) => {
    totals.passed += r.passed;
    totals.failed += r.failed;
  };
  if (!only || only === 'ext') {
    console.log('[e2e] extension-host tests');
    add(
      await runExtensionHostTests({
        browser,
        server,
        ws,
        repoRoot,
        testsPath,
        logFile: join(logDir, 'extension-host-tests.log'),
      }),
    );
  }
  if (!only || only === 'ui') {
    console.log('[e2e] UI tests');
    add(await runUiTests({ browser, server, ws, repoRoot }));
  }
  if (!only || only === 'installed') {
    console.log('[e2e] the packaged .vsix, installed, in Korean');
    add(await runInstalledTests({ browser, tools, repoRoot, logDir }));
  }
  console.log(`[e2e] took ${Math.round((Date.now() - started) / 1000)} s`);
  return totals;
}

let totals = { passed: 0, failed: 1 };
try {
  totals = await main();
} catch (e) {
  console.error(`[e2e] ${e instanceof Error ? e.message : e}`);
} finally {
  for (const cleanup of cleanups)
    await Promise.resolve()
      .then(cleanup)
      .catch((e) => console.error(`[e2e] cleanup: ${e.message}`));
}
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed === 0 && totals.passed > 0 ? 0 : 1);
