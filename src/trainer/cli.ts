// The headless CLI: the same Engine as the extension, run in-process, and the same run-format
// reader as the extension for the Keras runs the tensorlens callback writes.
//   node dist/cli.js train [flags]   node dist/cli.js predict IMAGE [flags]   node dist/cli.js runs [DIR] [--json]
// Any failure: exit code 1 and one `error: …` line on stderr (the stack only with --verbose).
// Ctrl-C in train: the run stops, its model is saved, exit code 130 (interrupted, so `train && …`
// does not go on as after a finished run).
import { errorLine } from '../shared/errors';
import { FaultError } from '../shared/faults';
import type { TrainerEvent, TrainerRequest } from '../shared/protocol';
import { type CliCommand, USAGE, UsageError, parseCommandLine } from './cliArgs';
import { TextReport, emptyTally, jsonLine, jsonText, tallyEvent } from './cliReport';
import { listRuns } from './cliRuns';
import { Engine } from './engine';

const EXIT_FAILURE = 1;
const EXIT_INTERRUPTED = 130;

function fail(error: unknown, verbose: boolean): never {
  process.stderr.write(`error: ${errorLine(error)}\n`);
  if (verbose && error instanceof Error && error.stack && !(error instanceof UsageError))
    process.stderr.write(`${error.stack}\n`);
  process.exit(EXIT_FAILURE);
}

// `npm run train | head -1`: a reader that went away is not a failure. Output stops; the run goes
// on and saves its model.
let stdoutOpen = true;
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') fail(error, false);
  stdoutOpen = false;
});

function writeStdout(text: string): void {
  if (stdoutOpen) process.stdout.write(text);
}

async function run(command: Exclude<CliCommand, { kind: 'help' | 'runs' }>): Promise<number> {
  const out = { write: writeStdout, isTTY: Boolean(process.stdout.isTTY) };
  const text = new TextReport(out);
  const tally = emptyTally();
  let failure: unknown = null;
  let lastError: Error | null = null;
  const engine = new Engine(
    (event: TrainerEvent) => {
      if (event.type === 'error') {
        failure ??= lastError ?? new FaultError(event.fault);
        return;
      }
      tallyEvent(tally, event);
      if (!command.json) return text.event(event);
      const line = jsonLine(event);
      if (line !== null) out.write(`${line}\n`);
    },
    {
      onError: (error) => (lastError = error instanceof Error ? error : new Error(String(error))),
      // A terminal run has no editor to keep responsive: `--workers auto` takes every core.
      spareCore: false,
    },
  );
  const requests: TrainerRequest[] =
    command.kind === 'train'
      ? [{ type: 'start', config: command.config }]
      : [
          { type: 'load', requestId: 1, modelDir: command.modelDir },
          { type: 'predict', requestId: 2, file: command.image },
        ];
  // Ctrl-C finishes the current batch and ends the run as 'stopped'; its model is then saved, as
  // the extension's Stop keeps it. The handler is gone after the first, so a second Ctrl-C kills the
  // process at once (the default action), even inside the save's synchronous writes: a save cut
  // short anywhere leaves the last complete model (persist.ts).
  process.once('SIGINT', () => void engine.handle({ type: 'stop' }));
  const handle = async (request: TrainerRequest) => {
    await engine.handle(request);
    if (failure !== null) fail(failure, command.verbose);
  };
  for (const request of requests) await handle(request);
  if (command.kind === 'train' && tally.stopped && command.config.modelDir !== null)
    await handle({ type: 'save', requestId: 3, modelDir: command.config.modelDir });
  if (command.kind === 'train' && command.json) out.write(`${jsonText({ event: 'done', ...tally })}\n`);
  return tally.stopped ? EXIT_INTERRUPTED : 0;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let command: CliCommand;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    fail(error, argv.includes('--verbose'));
  }
  if (command.kind === 'help') {
    writeStdout(`${USAGE}\n`);
    return;
  }
  const code =
    command.kind === 'runs'
      ? await listRuns(command.dir, command.json, {
          write: writeStdout,
          error: (text) => process.stderr.write(text),
        })
      : await run(command);
  // tfjs' wasm runtime can keep handles open; the work is done and stdout is written synchronously.
  process.exit(code);
}

main().catch((error: unknown) => fail(error, process.argv.includes('--verbose')));
