// Set Up Keras in a Python Environment…, the work: checks an interpreter (Python 3.10+, pip, no Keras 2
// that pip would replace), runs `<python> -m pip install <extension>/python` in a process group of its
// own (Cancel ends pip and its build), then checks that `tensorlens` and `keras` import. The interpreter
// is a program of the user's, so what it prints is read like any untrusted input: bounded, parsed from
// one marked line, checked field by field. No `vscode` here: the command sits on top of it, and the
// tests drive it against real interpreters and real pip.
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { oneLine } from '../shared/errors';
import { runInProcessGroup, type GroupEnd } from './processGroup';

/** python/pyproject.toml's requires-python (a unit test keeps the two in step). */
export const MIN_PYTHON = { major: 3, minor: 10 } as const;

export type KerasSetupStep = 'probe' | 'pip' | 'check';

/** Why nothing was installed; each names the interpreter. The command words them for people. */
export type KerasSetupFault =
  /** It could not be started (no such file, not executable): Node's error code. */
  | { kind: 'noInterpreter'; python: string; reason: string }
  /** It ran but did not answer as Python does; `said` is its last line of output, if any. */
  | { kind: 'notPython'; python: string; said: string }
  | { kind: 'tooOld'; python: string; version: string }
  | { kind: 'noPip'; python: string }
  /** Keras 2 is installed: pip would replace it with Keras 3 under the code that uses it. */
  | { kind: 'keras2'; python: string; keras: string }
  /** A system Python that refuses pip (PEP 668). */
  | { kind: 'externallyManaged'; python: string }
  /** pip could not reach its index; `line` is pip's own error line. */
  | { kind: 'network'; python: string; line: string }
  | { kind: 'pip'; python: string; code: number | null; line: string }
  /** pip succeeded, yet the interpreter does not find what it installed (`line`: its last words). */
  | { kind: 'notFound'; python: string; line: string };

export type KerasSetupOutcome =
  | { kind: 'installed'; python: string; tensorlens: string; keras: string; backend: string }
  /** Installed, but `import keras` fails: Keras 3 needs a backend (TensorFlow, JAX, PyTorch) it does not bring. */
  | { kind: 'noBackend'; python: string; tensorlens: string; keras: string; line: string }
  | { kind: 'failed'; fault: KerasSetupFault }
  | { kind: 'cancelled' };

export interface KerasSetupRun {
  python: string;
  /** <extension>/python, the package's folder. */
  packageDir: string;
  /** The interpreter's environment (pip's configuration and proxies come with it). */
  env: NodeJS.ProcessEnv;
  onStep: (step: KerasSetupStep) => void;
  /** pip's output and the interpreter's complaints, a line at a time, for the log. */
  onLog: (line: string) => void;
  signal?: AbortSignal;
  /** How long the interpreter gets to answer the probe, and the import check (Keras on TensorFlow is slow to import). */
  probeTimeoutMs?: number;
  checkTimeoutMs?: number;
}

const PROBE_MARK = 'tensorlens-probe ';
const CHECK_MARK = 'tensorlens-check ';

/**
 * Runs on any Python (2 included, so that it can say how old it is): the version, whether pip is there,
 * and Keras' version from its metadata (importing Keras would start its backend).
 */
const PROBE = `import sys, json
r = {"version": list(sys.version_info[:3])}
if sys.version_info >= (3, 8):
    import importlib.util, importlib.metadata
    r["pip"] = importlib.util.find_spec("pip") is not None
    try:
        r["keras"] = importlib.metadata.version("keras")
    except importlib.metadata.PackageNotFoundError:
        r["keras"] = None
print("${PROBE_MARK}" + json.dumps(r))
`;

/** After pip: the versions installed, and whether Keras starts (its backend). */
const CHECK = `import json, importlib.metadata as m
r = {"tensorlens": m.version("tensorlens"), "keras": m.version("keras")}
try:
    import tensorlens, keras
    r["backend"] = keras.backend.backend()
except Exception as e:
    r["error"] = "%s: %s" % (type(e).__name__, e)
print("${CHECK_MARK}" + json.dumps(r))
`;

/** What the interpreter may print before it counts as not answering (a program that floods). */
const MAX_OUTPUT_CHARS = 256 * 1024;
/** pip's lines kept for finding its error line (its full output goes to the log). */
const KEPT_PIP_LINES = 400;
const MAX_FIELD_CHARS = 400;

export async function setUpKeras(run: KerasSetupRun): Promise<KerasSetupOutcome> {
  const { python } = run;
  run.onStep('probe');
  const probe = await runPython(run, ['-c', PROBE], run.probeTimeoutMs ?? 30_000);
  if (probe.end.kind === 'cancelled' && !probe.timedOut) return { kind: 'cancelled' };
  if (probe.end.kind === 'notStarted')
    return failed({ kind: 'noInterpreter', python, reason: probe.end.code ?? probe.end.message });
  const found = parseProbe(probe.lines);
  if (!found) return failed({ kind: 'notPython', python, said: lastLine(probe.lines) });
  const [major, minor, micro] = found.version;
  if (major < MIN_PYTHON.major || (major === MIN_PYTHON.major && minor < MIN_PYTHON.minor))
    return failed({ kind: 'tooOld', python, version: `${major}.${minor}.${micro}` });
  if (!found.pip) return failed({ kind: 'noPip', python });
  if (found.keras !== null && !/^3\./.test(found.keras)) return failed({ kind: 'keras2', python, keras: found.keras });

  run.onStep('pip');
  const pip = await runPython(
    run,
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--progress-bar', 'off', run.packageDir],
    null,
  );
  if (pip.end.kind === 'cancelled') return { kind: 'cancelled' };
  if (pip.end.kind === 'notStarted')
    return failed({ kind: 'noInterpreter', python, reason: pip.end.code ?? pip.end.message });
  if (pip.end.code !== 0) return failed(pipFault(python, pip.end, pip.lines));

  run.onStep('check');
  const check = await runPython(run, ['-c', CHECK], run.checkTimeoutMs ?? 120_000);
  if (check.end.kind === 'cancelled' && !check.timedOut) return { kind: 'cancelled' };
  const checked = parseCheck(check.lines);
  if (!checked) {
    const line = check.timedOut ? 'no answer in time' : lastLine(check.lines);
    return failed({ kind: 'notFound', python, line });
  }
  if (checked.backend !== null)
    return {
      kind: 'installed',
      python,
      tensorlens: checked.tensorlens,
      keras: checked.keras,
      backend: checked.backend,
    };
  return { kind: 'noBackend', python, tensorlens: checked.tensorlens, keras: checked.keras, line: checked.error };
}

/** The last element that passes `test` (the host's library has no findLast). */
function lastWhere<T>(items: readonly T[], test: (item: T) => boolean): T | undefined {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i])) return items[i];
  return undefined;
}

const failed = (fault: KerasSetupFault): KerasSetupOutcome => ({ kind: 'failed', fault });

interface PythonRun {
  end: GroupEnd;
  /** Its stdout and stderr lines, the last KEPT_PIP_LINES of them. */
  lines: string[];
  timedOut: boolean;
}

/** Runs the interpreter with `args`; ends it when cancelled, after `timeoutMs`, or when it prints too much. */
async function runPython(run: KerasSetupRun, args: string[], timeoutMs: number | null): Promise<PythonRun> {
  const stop = new AbortController();
  const cancel = () => stop.abort();
  run.signal?.addEventListener('abort', cancel, { once: true });
  if (run.signal?.aborted) stop.abort();
  let timedOut = false;
  const timer =
    timeoutMs === null
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          stop.abort();
        }, timeoutMs);
  const lines: string[] = [];
  let chars = 0;
  let stderrPending = '';
  const take = (line: string) => {
    chars += line.length;
    if (chars > MAX_OUTPUT_CHARS && timeoutMs !== null) {
      // A probe that floods is not the Python asked for (pip's output, though, may be long).
      timedOut = true;
      stop.abort();
      return;
    }
    const kept = oneLine(line.replace(/\r$/, '')).slice(0, 2000);
    if (kept.trim()) run.onLog(kept);
    lines.push(kept);
    if (lines.length > KEPT_PIP_LINES) lines.shift();
  };
  try {
    const end = await runInProcessGroup({
      command: run.python,
      args,
      // Unbuffered, so pip's lines reach the log as they happen.
      env: { ...run.env, PYTHONUNBUFFERED: '1', PYTHONIOENCODING: 'utf-8' },
      onStdoutLine: take,
      onStderr: (text) => {
        stderrPending += text;
        const parts = stderrPending.split('\n');
        stderrPending = parts.pop() ?? '';
        parts.forEach(take);
      },
      signal: stop.signal,
      stopGraceMs: 5_000,
    });
    if (stderrPending) take(stderrPending);
    return { end, lines, timedOut };
  } finally {
    clearTimeout(timer);
    run.signal?.removeEventListener('abort', cancel);
  }
}

function markedObject(lines: readonly string[], mark: string): Record<string, unknown> | null {
  const line = lastWhere(lines, (l) => l.startsWith(mark));
  if (line === undefined) return null;
  try {
    const value: unknown = JSON.parse(line.slice(mark.length));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

const isVersionText = (v: unknown): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= 64 && /^[\w.+!-]+$/.test(v);

export interface ProbeAnswer {
  version: [number, number, number];
  pip: boolean;
  keras: string | null;
}

/** The probe's marked line, checked; null when the program did not answer as the probe does. */
export function parseProbe(lines: readonly string[]): ProbeAnswer | null {
  const r = markedObject(lines, PROBE_MARK);
  const version = r?.version;
  if (
    !Array.isArray(version) ||
    version.length !== 3 ||
    !version.every((n) => Number.isInteger(n) && n >= 0 && n < 1000)
  )
    return null;
  const [major, minor, micro] = version as number[];
  // Pythons older than 3.8 say only their version (the probe stops there).
  if (major < 3 || (major === 3 && minor < 8)) return { version: [major, minor, micro], pip: false, keras: null };
  if (typeof r?.pip !== 'boolean' || !(r.keras === null || isVersionText(r.keras))) return null;
  return { version: [major, minor, micro], pip: r.pip, keras: r.keras };
}

/** The check's marked line: the versions, and the backend or why Keras did not start. */
export function parseCheck(
  lines: readonly string[],
): { tensorlens: string; keras: string; backend: string | null; error: string } | null {
  const r = markedObject(lines, CHECK_MARK);
  if (!r || !isVersionText(r.tensorlens) || !isVersionText(r.keras)) return null;
  if (isVersionText(r.backend)) return { tensorlens: r.tensorlens, keras: r.keras, backend: r.backend, error: '' };
  if (typeof r.error !== 'string') return null;
  return { tensorlens: r.tensorlens, keras: r.keras, backend: null, error: oneLine(r.error).slice(0, MAX_FIELD_CHARS) };
}

/** pip's words when it cannot reach an index (urllib3's and pip's own), or when the index had nothing at all. */
const UNREACHABLE =
  /NewConnectionError|Failed to establish a new connection|Max retries exceeded|Temporary failure in name resolution|Name or service not known|nodename nor servname|Network is unreachable|Connection refused|ConnectTimeoutError|ReadTimeoutError|ProxyError|SSLError|Could not fetch URL|\(from versions: none\)/;

/** Which fault pip's failing run was, and pip's line that says so. */
export function pipFault(
  python: string,
  end: { code: number | null; signal: NodeJS.Signals | null },
  lines: readonly string[],
): KerasSetupFault {
  const text = lines.map((l) => l.trim()).filter(Boolean);
  if (text.some((l) => /No module named pip\b/.test(l))) return { kind: 'noPip', python };
  if (text.some((l) => /externally-managed-environment/.test(l))) return { kind: 'externallyManaged', python };
  const errors = text.filter((l) => /^(ERROR|error):/.test(l));
  const bounded = (l: string | undefined) => (l ?? '').slice(0, MAX_FIELD_CHARS);
  if (text.some((l) => UNREACHABLE.test(l))) {
    const line = errors.find((l) => /No matching distribution found/.test(l)) ?? text.find((l) => UNREACHABLE.test(l));
    return { kind: 'network', python, line: bounded(line) };
  }
  // pip's last error line that names something (its final `error: subprocess-exited-with-error` names nothing).
  const line =
    lastWhere(errors, (l) => !/subprocess-exited-with-error/.test(l)) ??
    lastWhere(text, (l) => !/^note:|^hint:|^╰─>|^│|^×/.test(l)) ??
    (end.signal ? `pip was killed by ${end.signal}` : 'pip said nothing');
  return { kind: 'pip', python, code: end.code, line: bounded(line) };
}

const lastLine = (lines: readonly string[]) =>
  (lastWhere(lines, (l) => l.trim() !== '') ?? '').trim().slice(0, MAX_FIELD_CHARS);

/** `python3` and `python` on PATH (executable files), each once (by the file it leads to), in PATH's order. */
export function pythonsOnPath(env: NodeJS.ProcessEnv): { path: string; target: string }[] {
  const found: { path: string; target: string }[] = [];
  const seen = new Set<string>();
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of ['python3', 'python']) {
      const file = join(dir, name);
      try {
        if (!statSync(file).isFile()) continue;
        accessSync(file, constants.X_OK);
        const target = realpathSync(file);
        if (seen.has(target)) continue;
        seen.add(target);
        found.push({ path: file, target });
      } catch {
        // Not there, or not runnable.
      }
    }
  }
  return found;
}
