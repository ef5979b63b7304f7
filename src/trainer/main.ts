// The trainer child process, forked by the VS Code host with `serialization: 'advanced'` (typed
// arrays pass through as they are). Every message is validated; the process ends with its parent.
import { PROTOCOL_VERSION, type TrainerEvent } from '../shared/protocol';
import { Engine } from './engine';
import { watchParent } from './parentWatchdog';
import { parseTrainerRequest } from './requests';
import { messageOf } from '../shared/errors';
import { faultOf } from '../shared/faults';

function send(event: TrainerEvent): void {
  // A parent that has gone away cannot be told anything; 'disconnect' below ends the process.
  if (process.connected) process.send?.(event);
}

function reportCrash(error: unknown): void {
  send({
    type: 'error',
    requestId: null,
    fault: { kind: 'other', message: `trainer internal error: ${messageOf(error)}` },
  });
}

if (!process.send) {
  process.stderr.write(
    'error: dist/trainer.js is the trainer child process; run it through the extension, or use dist/cli.js\n',
  );
  process.exit(2);
}

const engine = new Engine(send);

process.on('message', (message: unknown) => {
  let request;
  try {
    request = parseTrainerRequest(message);
  } catch (error) {
    send({ type: 'error', requestId: null, fault: faultOf(error) });
    return;
  }
  if (request.type === 'shutdown') {
    void engine.handle(request).then(() => process.exit(0));
    return;
  }
  // Not awaited: a run takes minutes, and stop/predict/getTensor must be heard meanwhile.
  void engine.handle(request);
});

// A host that is killed closes the IPC channel: never leave an orphan trainer behind. The watchdog
// also ends it while a long synchronous op keeps 'disconnect' from being heard.
process.on('disconnect', () => process.exit(0));
watchParent();
process.on('uncaughtException', reportCrash);
process.on('unhandledRejection', reportCrash);

send({ type: 'hello', protocol: PROTOCOL_VERSION, pid: process.pid });
