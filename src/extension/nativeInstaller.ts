// The host's end of the native engine's installer: runs dist/nativeSetup.js (scripts/nativeEngine.mjs,
// bundled) with the Node that runs the trainer, into the extension's global storage; reads its
// progress (one JSON object a line on stdout, protocol 1); cancels it by ending its process group
// (the installer then ends the groups of npm, pip and the compiler it started). Also how the trainer
// is started so that it finds that engine. No `vscode` here: the command sits on top of it, and the
// tests drive it for real.
import { spawn } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { NATIVE_DIR_ENV, NATIVE_FOLDER } from '../shared/nativeEngine';
import type { TrainerLaunch } from './trainerClient';

export const SETUP_PROTOCOL = 1;

export const SETUP_STEPS = ['tfjsNode', 'library', 'addon', 'check', 'cache', 'manifest'] as const;
export type SetupStep = (typeof SETUP_STEPS)[number];

/** What the installer says went wrong (scripts/ SetupError's `fault`); the host words it for people. */
export const SETUP_FAULTS = [
  'platform',
  'cache',
  'npm',
  'npmRegistry',
  'npmInstall',
  'python',
  'pip',
  'pypi',
  'wheel',
  'compiler',
  'make',
  'nodeHeaders',
  'nodeGyp',
  'build',
  'load',
  'tfjsVersion',
  'busy',
  'usage',
  'other',
] as const;
export type SetupFault = (typeof SETUP_FAULTS)[number];

export type SetupMessage =
  | { type: 'step'; step: SetupStep; phase: 'start' }
  | { type: 'step'; step: SetupStep; phase: 'done'; outcome: string; seconds: number }
  | { type: 'installed'; folder: string; seconds: number }
  | { type: 'failed'; fault: SetupFault; message: string };

export type SetupOutcome =
  | { kind: 'installed'; folder: string; seconds: number }
  | { kind: 'failed'; fault: SetupFault; message: string }
  | { kind: 'cancelled' };

const isString = (v: unknown): v is string => typeof v === 'string' && v.length <= 4000;
const isSeconds = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** One line of the installer's stdout as a message, or null for anything else (it is logged, not obeyed). */
export function parseSetupLine(line: string): SetupMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const m = value as Record<string, unknown>;
  if (m.protocol !== SETUP_PROTOCOL) return null;
  switch (m.type) {
    case 'step': {
      if (!SETUP_STEPS.includes(m.step as SetupStep)) return null;
      const step = m.step as SetupStep;
      if (m.phase === 'start') return { type: 'step', step, phase: 'start' };
      if (m.phase === 'done' && isString(m.outcome) && isSeconds(m.seconds))
        return { type: 'step', step, phase: 'done', outcome: m.outcome, seconds: m.seconds };
      return null;
    }
    case 'installed':
      return isString(m.folder) && isSeconds(m.seconds)
        ? { type: 'installed', folder: m.folder, seconds: m.seconds }
        : null;
    case 'failed': {
      if (!isString(m.message)) return null;
      const fault = SETUP_FAULTS.includes(m.fault as SetupFault) ? (m.fault as SetupFault) : 'other';
      return { type: 'failed', fault, message: m.message };
    }
    default:
      return null;
  }
}

export interface SetupRun {
  /** dist/nativeSetup.js */
  script: string;
  /** The trainer's Node and environment: the addon is built for the Node that will load it. */
  launch: TrainerLaunch;
  /** <globalStorage>/native */
  folder: string;
  /** The folder that holds the extension's tfjs (`tfjsModulesOf`): the tfjs the engine registers into. */
  tfjsModules: string;
  onMessage: (message: SetupMessage) => void;
  /** Everything else it writes (npm's and pip's complaints on stderr): for the log. */
  onLog: (text: string) => void;
  signal?: AbortSignal;
  /** How long a cancelled installer gets to stop its children before its group is killed. */
  stopGraceMs?: number;
}

/** Runs the installer to its end: installed, failed (with its one line), or cancelled. */
export function runNativeSetup(run: SetupRun): Promise<SetupOutcome> {
  return new Promise((resolve) => {
    const child = spawn(
      run.launch.execPath,
      [run.script, '--storage', run.folder, '--tfjs-modules', run.tfjsModules],
      // A group of its own, so that cancelling can signal all of it.
      { env: run.launch.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    let last: SetupMessage | null = null;
    let cancelled = false;
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const message = parseSetupLine(line);
        if (message) {
          last = message;
          run.onMessage(message);
        } else if (line.trim()) run.onLog(`${line}\n`);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => run.onLog(text));
    let killTimer: NodeJS.Timeout | undefined;
    const cancel = () => {
      cancelled = true;
      signalGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), run.stopGraceMs ?? 20_000);
    };
    if (run.signal?.aborted) cancel();
    else run.signal?.addEventListener('abort', cancel, { once: true });
    child.on('error', (error) =>
      resolve({ kind: 'failed', fault: 'other', message: `${run.launch.execPath} could not run: ${error.message}` }),
    );
    child.on('close', (code, signal) => {
      clearTimeout(killTimer);
      run.signal?.removeEventListener('abort', cancel);
      const end = last as SetupMessage | null;
      if (cancelled) resolve({ kind: 'cancelled' });
      else if (end?.type === 'installed' && code === 0)
        resolve({ kind: 'installed', folder: end.folder, seconds: end.seconds });
      else if (end?.type === 'failed') resolve({ kind: 'failed', fault: end.fault, message: end.message });
      else {
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        resolve({ kind: 'failed', fault: 'other', message: `the installer ${how} without saying why` });
      }
    });
  });
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group has ended already.
  }
}

/**
 * Where the extension's tfjs is: dist/node_modules, where the build puts tfjs bundled as packages, and
 * where the trainer (dist/trainer.js) finds it first.
 */
export function tfjsModulesOf(extensionPath: string): string {
  return join(extensionPath, 'dist', 'node_modules');
}

/**
 * The trainer's launch with the installed engine in reach: its folder named in TENSOR_LENS_NATIVE_DIR,
 * and the extension's tfjs (`tfjsModulesOf`) first on NODE_PATH, so that tfjs-node there (which has no tfjs of
 * its own) requires the trainer's tfjs and registers its backend into it.
 */
export function withInstalledEngine(launch: TrainerLaunch, folder: string, tfjsModules: string): TrainerLaunch {
  const nodePath = [tfjsModules, ...(launch.env.NODE_PATH ?? '').split(delimiter).filter(Boolean)].join(delimiter);
  return { ...launch, env: { ...launch.env, [NATIVE_DIR_ENV]: folder, NODE_PATH: nodePath } };
}

/** Where the engine goes: a folder of the extension's global storage (updates keep it). */
export function installedEngineFolder(globalStorage: string): string {
  return join(globalStorage, NATIVE_FOLDER);
}
