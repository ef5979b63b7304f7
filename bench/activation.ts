// Extension activation cost: dist/extension.js loaded and activated in a fresh process each run.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Figure, summarize } from './measure';

export interface ActivationFigures {
  require: Figure;
  activate: Figure;
  total: Figure;
  /** Inputs or run-time requires of dist/extension.js from @tensorflow, per esbuild's metafile: must be 0. */
  tfjsInBundle: number;
}

interface ProbeResult {
  requireMs: number;
  activateMs: number;
  totalMs: number;
  error?: string;
}

export function measureActivation(runs: number): ActivationFigures | string {
  const bundle = join('dist', 'extension.js');
  if (!existsSync(bundle)) return 'dist/extension.js not built: run npm run build';
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
    tfjsInBundle: tfjsInBundle(`${bundle}.meta.json`),
  };
}

/** How many inputs (inlined) and external imports (required at run time) of the bundle are tfjs. */
function tfjsInBundle(metafilePath: string): number {
  const meta = JSON.parse(readFileSync(metafilePath, 'utf8')) as {
    inputs: Record<string, unknown>;
    outputs: Record<string, { imports: { path: string; external?: boolean }[] }>;
  };
  const inlined = Object.keys(meta.inputs).filter((p) => p.includes('node_modules/@tensorflow/'));
  const required = Object.values(meta.outputs)
    .flatMap((o) => o.imports)
    .filter((i) => i.external && i.path.startsWith('@tensorflow/'));
  return inlined.length + required.length;
}
