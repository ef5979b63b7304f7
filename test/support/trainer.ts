// The bundles the tests run, built from the current sources once per test file.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

/** The repository's root folder. */
export const REPO_ROOT = path.resolve(__dirname, '../..');

type Target = 'extension' | 'trainer' | 'cli' | 'nativeSetup';

/** Builds dist/<target>.js from the sources (esbuild, about a second) and returns its path. */
export function built(target: Target): string {
  execFileSync(process.execPath, ['scripts/build.mjs', '--only', target], { cwd: REPO_ROOT });
  return path.join(REPO_ROOT, 'dist', `${target}.js`);
}

/** dist/trainer.js, freshly built: the child process the host forks. */
export function builtTrainer(): string {
  return built('trainer');
}
