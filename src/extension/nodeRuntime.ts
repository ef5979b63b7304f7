// Which Node runs the trainer. tfjs wants a plain Node: the `tensorLens.nodePath` setting wins; on
// desktop VS Code (Electron) a system `node` from PATH is preferred, else Electron itself runs as
// Node (ELECTRON_RUN_AS_NODE); in code-server the host already runs on Node.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { FaultError } from '../shared/faults';
import type { TrainerLaunch } from './trainerClient';

export const MIN_NODE_MAJOR = 20;

export interface RuntimeFacts {
  /** The `tensorLens.nodePath` setting, '' when unset. */
  configuredNodePath: string;
  /** process.versions.electron: set on desktop VS Code. */
  electron: string | undefined;
  hostExecPath: string;
  env: NodeJS.ProcessEnv;
  /** Major version of a Node binary, or null if it does not run as Node. */
  probeNodeMajor: (file: string) => number | null;
}

/** The configured Node cannot run the trainer: a fault, worded in the display language where it is shown. */
export class RuntimeError extends FaultError {}

export function chooseTrainerRuntime(facts: RuntimeFacts): TrainerLaunch {
  const env = { ...facts.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const configured = facts.configuredNodePath.trim();
  if (configured) {
    const major = facts.probeNodeMajor(configured);
    if (major === null) throw new RuntimeError({ kind: 'nodePathNotNode', node: configured });
    if (major < MIN_NODE_MAJOR)
      throw new RuntimeError({ kind: 'nodePathTooOld', node: configured, major, min: MIN_NODE_MAJOR });
    return { execPath: configured, env };
  }
  if (facts.electron === undefined) return { execPath: facts.hostExecPath, env };
  const system = findOnPath('node', env.PATH ?? '').find((file) => (facts.probeNodeMajor(file) ?? 0) >= MIN_NODE_MAJOR);
  if (system) return { execPath: system, env };
  return { execPath: facts.hostExecPath, env: { ...env, ELECTRON_RUN_AS_NODE: '1' } };
}

/** Executable files named `name` in the folders of a PATH string, in PATH order. */
export function findOnPath(name: string, path: string): string[] {
  const names = process.platform === 'win32' ? [`${name}.exe`, `${name}.cmd`] : [name];
  return path
    .split(delimiter)
    .filter((dir) => dir.length > 0)
    .flatMap((dir) => names.map((n) => join(dir, n)))
    .filter((file) => existsSync(file) && statSync(file).isFile());
}

/** Runs `file -p process.versions.node` (5 s at most): the major version, or null. */
export function probeNodeMajor(file: string): number | null {
  try {
    const env = { ...process.env };
    delete env.ELECTRON_RUN_AS_NODE;
    const out = execFileSync(file, ['-p', 'process.versions.node'], {
      timeout: 5000,
      encoding: 'utf8',
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const major = Number(/^(\d+)\./.exec(out.trim())?.[1]);
    return Number.isInteger(major) ? major : null;
  } catch {
    return null;
  }
}
