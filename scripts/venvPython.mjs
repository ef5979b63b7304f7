// The pinned Python environment's interpreter, made or reused by scripts/setup-python.mjs (which
// prints its path as its last line): one place for the test runner, the UI tests and the bench.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const setupScript = join(dirname(fileURLToPath(import.meta.url)), 'setup-python.mjs');

/** The venv's python; throws when `npm run setup:python` fails (its reason is on stderr, passed through). */
export function venvPython() {
  const setup = spawnSync(process.execPath, [setupScript], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const python = setup.stdout?.trim().split('\n').pop();
  if (setup.status !== 0 || !python) throw new Error('setup:python failed (see above)');
  return python;
}
