// Extension activation cost: dist/extension.js loaded and activated in a fresh process each run.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Figure, summarize } from './measure';

export interface ActivationFigures {
  require: Figure;
  activate: Figure;
  total: Figure;
  /** @tensorflow modules in require.cache after activate(): must be 0. */
  tfModulesLoaded: number;
}

interface ProbeResult {
  requireMs: number;
  activateMs: number;
  totalMs: number;
  tfModules: number;
  error?: string;
}

export function measureActivation(runs: number): ActivationFigures | string {
  const bundle = join('dist', 'extension.js');
  if (!existsSync(bundle)) return 'dist/extension.js not built (src/extension/extension.ts missing)';
  const results: ProbeResult[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const out = execFileSync(process.execPath, [join('bench', 'activationProbe.cjs'), bundle], { encoding: 'utf8' });
    const result = JSON.parse(out.trim().split('\n').pop() ?? '{}') as ProbeResult;
    if (result.error) return `activate() failed under the bench's vscode stand-in: ${result.error}`;
    // The first run warms the OS file cache; it is not recorded.
    if (i > 0) results.push(result);
  }
  return {
    require: summarize(results.map((r) => r.requireMs)),
    activate: summarize(results.map((r) => r.activateMs)),
    total: summarize(results.map((r) => r.totalMs)),
    tfModulesLoaded: Math.max(...results.map((r) => r.tfModules)),
  };
}
