// The host's end of the native engine's installer: runs dist/nativeSetup.js (scripts/nativeEngine.mjs,
// bundled) with the Node that runs the trainer, into the extension's global storage; reads its
// progress (one JSON object a line on stdout, protocol 1); cancels it by ending its process group
// (processGroup.ts; the installer then ends the groups of npm, pip and the compiler it started). Also how the trainer
// is started so that it finds that engine. No `vscode` here: the command sits on top of it, and the
// tests drive it for real.
import { delimiter, join } from 'node:path';
import { NATIVE_DIR_ENV, NATIVE_FOLDER } from '../shared/nativeEngine';
import { runInProcessGroup } from './processGroup';
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
export async function runNativeSetup(run: SetupRun): Promise<SetupOutcome> {
  let last: SetupMessage | null = null;
  const end = await runInProcessGroup({
    command: run.launch.execPath,
    args: [run.script, '--storage', run.folder, '--tfjs-modules', run.tfjsModules],
    env: run.launch.env,
    onStdoutLine: (line) => {
      const message = parseSetupLine(line);
      if (message) {
        last = message;
        run.onMessage(message);
      } else if (line.trim()) run.onLog(`${line}\n`);
    },
    onStderr: run.onLog,
    signal: run.signal,
    stopGraceMs: run.stopGraceMs,
  });
  const said = last as SetupMessage | null;
  switch (end.kind) {
    case 'cancelled':
      return { kind: 'cancelled' };
    case 'notStarted':
      return { kind: 'failed', fault: 'other', message: `${run.launch.execPath} could not run: ${end.message}` };
    case 'exited':
      if (said?.type === 'installed' && end.code === 0)
        return { kind: 'installed', folder: said.folder, seconds: said.seconds };
      if (said?.type === 'failed') return { kind: 'failed', fault: said.fault, message: said.message };
      return {
        kind: 'failed',
        fault: 'other',
        message: `the installer ${end.signal ? `was killed by ${end.signal}` : `exited with code ${end.code}`} without saying why`,
      };
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
