// Stands in for the VS Code extension host: forks a child, prints the child's pid once it is up,
// and waits to be killed. `busy` forks test/support/busyOrphan.ts; `trainer` forks the real
// dist/trainer.js through the host's TrainerClient and starts a run.
//   node --import tsx test/support/orphanParent.ts busy BLOCKED_MARKER_FILE | trainer
import { fork } from 'node:child_process';
import * as path from 'node:path';
import { TrainerClient } from '../../src/extension/trainerClient';
import { DEFAULT_TRAIN_CONFIG } from '../../src/shared/protocol';

const root = path.resolve(__dirname, '../..');

if (process.argv[2] === 'busy') {
  const child = fork(path.join(__dirname, 'busyOrphan.ts'), [process.argv[3]], {
    execArgv: ['--import', 'tsx'],
    cwd: root,
  });
  child.once('message', () => process.stdout.write(`${child.pid}\n`));
} else {
  void TrainerClient.start({
    scriptPath: path.join(root, 'dist', 'trainer.js'),
    launch: { execPath: process.execPath, env: process.env },
    onEvent: (event) => {
      if (event.type === 'batches') process.stdout.write(`${client?.pid}\n`);
    },
    onExit: () => undefined,
  }).then((started) => {
    client = started;
    started.notify({ type: 'start', config: { ...DEFAULT_TRAIN_CONFIG, epochs: 50, trainLimit: 20000 } });
  });
}
let client: TrainerClient | undefined;
setInterval(() => undefined, 1000);
