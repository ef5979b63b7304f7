// The Python that runs a live Keras run for the host's tests: TENSOR_LENS_PYTHON, else the
// environment `npm run setup:python` makes (~/.cache/tensor-lens/python-venv-*/bin/python) when it
// imports keras and tensorlens. Null when there is none: those tests say so and skip.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './trainer';

const LIVE_SCRIPT = path.join(REPO_ROOT, 'test', 'support', 'keras_live_run.py');

function candidates(): string[] {
  if (process.env.TENSOR_LENS_PYTHON) return [process.env.TENSOR_LENS_PYTHON];
  const cache = path.join(process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'tensor-lens');
  let names: string[] = [];
  try {
    names = fs.readdirSync(cache).filter((n) => n.startsWith('python-venv-'));
  } catch {
    return [];
  }
  return names.map((n) => path.join(cache, n, 'bin', 'python'));
}

let found: string | null | undefined;

export function kerasPython(): string | null {
  found ??=
    candidates().find(
      (python) => spawnSync(python, ['-c', 'import keras, tensorlens'], { encoding: 'utf8' }).status === 0,
    ) ?? null;
  return found;
}

/** Starts keras_live_run.py writing under `base`; resolves with the process once its first batch is logged. */
export function startLiveRun(
  python: string,
  base: string,
  epochs: number,
  pause: number,
): { child: ReturnType<typeof spawn>; started: Promise<void>; exited: Promise<number | null> } {
  const child = spawn(python, [LIVE_SCRIPT, base, String(epochs), String(pause)], {
    cwd: base,
    env: { ...process.env, KERAS_BACKEND: 'jax', TF_CPP_MIN_LOG_LEVEL: '3' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const started = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('started')) resolve();
    });
    void exited.then((code) => reject(new Error(`the live run exited (${code}) before its first batch: ${stderr}`)));
  });
  // A failing test never leaves the writer behind.
  process.on('exit', () => child.kill('SIGKILL'));
  return { child, started, exited };
}
