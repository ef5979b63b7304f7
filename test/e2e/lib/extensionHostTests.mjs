// Builds test/ext/*.ts into out/test/ and runs them with mocha inside the real extension host of a
// workbench window (extensionTestsPath); the workbench reports the end through codeAutomationExit.
import * as esbuild from 'esbuild';
import { appendFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { workbenchUrl } from './workbench.mjs';

const RESULT_PREFIX = 'EXT-RESULT '; // printed by test/ext/index.ts

export async function buildExtensionTests(repoRoot) {
  const src = join(repoRoot, 'test', 'ext');
  const outdir = join(repoRoot, 'out', 'test');
  rmSync(outdir, { recursive: true, force: true });
  const entries = readdirSync(src).filter((f) => f === 'index.ts' || f.endsWith('.test.ts'));
  await esbuild.build({
    entryPoints: entries.map((f) => join(src, f)),
    outdir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return join(outdir, 'index.js');
}

/** Returns {passed, failed}; a run that never reports counts as one failure. */
/** The workbench's own errors (stack traces into its bundle) go to the log file only. */
function isWorkbenchNoise(line) {
  return (
    line.includes('/static/out/vs/') ||
    /^(Resolving connection token|Resolved connection token|Creating a socket)/.test(line)
  );
}

export async function runExtensionHostTests({
  browser,
  server,
  ws,
  repoRoot,
  testsPath,
  logFile,
  timeoutMs = 600_000,
}) {
  writeFileSync(logFile, '');
  const context = await browser.newContext();
  const page = await context.newPage();
  let counts = null;
  let resolveExit;
  const exited = new Promise((r) => (resolveExit = r));
  await page.exposeFunction('codeAutomationLog', (_type, args) => {
    const line = format(...(Array.isArray(args) ? args : [args])); // mocha logs printf-style
    appendFileSync(logFile, `${line}\n`);
    if (line.startsWith(RESULT_PREFIX)) counts = JSON.parse(line.slice(RESULT_PREFIX.length));
    else if (!isWorkbenchNoise(line)) console.log(`  [ext] ${line}`);
  });
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
  await page.goto(workbenchUrl(server, ws, repoRoot, testsPath));
  const timer = new Promise((r) => setTimeout(() => r('timeout'), timeoutMs));
  const code = await Promise.race([exited, timer]);
  await context.close();
  if (code === 'timeout') console.log(`  [ext] no result after ${timeoutMs} ms`);
  if (!counts) return { passed: 0, failed: 1 };
  // A non-zero exit with no failed test (e.g. run() threw while loading) is still a failure.
  return { passed: counts.passed, failed: counts.failed || (code === 0 ? 0 : 1) };
}
