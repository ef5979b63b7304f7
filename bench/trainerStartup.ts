// The trainer's start-up: from the host's fork of dist/trainer.js to its `hello` (tfjs loaded, ready
// for requests), each run a fresh process. `node --import tsx bench/trainerStartup.ts [trainer.js] [runs]`
// prints the figure alone (to compare two builds).
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Figure, summarize } from './measure';

/** Milliseconds from fork to the trainer's first message, which must be its hello. */
function startOnce(trainer: string): Promise<number> {
  return new Promise((done, fail) => {
    const started = performance.now();
    // As the host forks it (src/extension/trainerClient.ts).
    const child = fork(trainer, [], {
      serialization: 'advanced',
      execArgv: [],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const early = (code: number | null) =>
      fail(new Error(`the trainer exited (${code}) before its hello: ${stderr.trim()}`));
    child.once('exit', early);
    child.once('message', (message: { type?: string }) => {
      const ms = performance.now() - started;
      child.off('exit', early);
      child.once('exit', () =>
        message.type === 'hello' ? done(ms) : fail(new Error(`first message: ${message.type}`)),
      );
      child.kill();
    });
  });
}

export async function measureTrainerStartup(
  runs: number,
  trainer = join('dist', 'trainer.js'),
): Promise<Figure | string> {
  if (!existsSync(trainer)) return `${trainer} not built: run npm run build`;
  // The first start warms the OS file cache; it is not recorded.
  await startOnce(trainer);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await startOnce(trainer));
  return summarize(times);
}

if (require.main === module) {
  const trainer = resolve(process.argv[2] ?? join('dist', 'trainer.js'));
  const runs = Number(process.argv[3] ?? 9);
  void measureTrainerStartup(runs, trainer).then((figure) => console.log(JSON.stringify(figure)));
}
