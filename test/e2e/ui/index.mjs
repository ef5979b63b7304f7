// Runs the UI scenarios in order in one workbench window (later ones use the model trained by the
// dashboard scenario); a failing scenario leaves a FAILED-<name>.png and does not stop the others.
import { join } from 'node:path';
import { SCREENSHOT_DIR, newPage, openWorkbench, workbenchUrl } from '../lib/workbench.mjs';
import { watchCspViolations } from './cspViolations.mjs';
import { datasetSamples } from './datasetSamples.mjs';
import { drawDigit } from './drawDigit.mjs';
import { kerasConvFilters } from './kerasConvFilters.mjs';
import { kerasRun } from './kerasRun.mjs';
import { mistakeExplained } from './mistakeExplained.mjs';
import { predictDigit } from './predictDigit.mjs';
import { restoreAfterReload } from './restoreAfterReload.mjs';
import { runsCompare } from './runsCompare.mjs';
import { smoke } from './smoke.mjs';
import { stepThrough } from './stepThrough.mjs';
import { tensorInspector } from './tensorInspector.mjs';
import { trainDashboard } from './trainDashboard.mjs';
import { treeTooltip } from './treeTooltip.mjs';

const SCENARIOS = [
  smoke,
  treeTooltip,
  datasetSamples,
  trainDashboard,
  tensorInspector,
  predictDigit,
  mistakeExplained,
  drawDigit,
  stepThrough,
  runsCompare,
  restoreAfterReload,
  kerasRun,
  kerasConvFilters,
];
const SCENARIO_TIMEOUT_MS = 240_000;

function withTimeout(promise, ms, name) {
  let timer;
  const timeout = new Promise(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`${name}: no end after ${ms} ms`)), ms)),
  );
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function runUiTests({ browser, server, ws, repoRoot }) {
  const page = await newPage(browser);
  const ctx = { page, ws, repoRoot };
  // E2E_SCENARIOS=smoke,stepThrough runs those only (debugging); the CSP check always runs last.
  const chosen = process.env.E2E_SCENARIOS?.split(',');
  const picked = chosen ? SCENARIOS.filter((s) => chosen.includes(s.name)) : SCENARIOS;
  const scenarios = [...picked, watchCspViolations(page)]; // last: checks what the others caused
  const result = { passed: 0, failed: 0 };
  try {
    await openWorkbench(page, workbenchUrl(server, ws, repoRoot));
  } catch (e) {
    console.log(`  ✗ workbench did not load: ${e.message}`);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'FAILED-workbench.png') }).catch(() => {});
    return { passed: 0, failed: scenarios.length };
  }
  for (const scenario of scenarios) {
    const name = scenario.name;
    const started = Date.now();
    try {
      await withTimeout(scenario(ctx), SCENARIO_TIMEOUT_MS, name);
      result.passed++;
      console.log(`  ✓ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (e) {
      result.failed++;
      const shot = join(SCREENSHOT_DIR, `FAILED-${name}.png`);
      await page.screenshot({ path: shot }).catch(() => {});
      console.log(`  ✗ ${name}: ${e instanceof Error ? e.message : e}\n    screenshot: ${shot}`);
    }
    await page.keyboard.press('Escape').catch(() => {});
  }
  await page.context().close();
  return result;
}
