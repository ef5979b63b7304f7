// A trainer child that misbehaves: on `start` it sends batch events as fast as IPC takes them for
// FLOOD_MS (default 2000), then ends the run as stopped. Speaks the real protocol, so the host's real
// TrainerClient and RunController drive it. Run with NODE_OPTIONS='--import tsx'.
import { PROTOCOL_VERSION, type TrainerEvent, type TrainerRequest } from '../../src/shared/protocol';

const send = (event: TrainerEvent) => process.send?.(event);
const floodMs = Number(process.env.FLOOD_MS ?? 2000);

function flood(request: Extract<TrainerRequest, { type: 'start' }>): void {
  send({
    type: 'trainStart',
    config: request.config,
    threads: 1,
    trainSamples: 60000,
    valSamples: 0,
    batchesPerEpoch: 469,
  });
  const began = Date.now();
  let step = 0;
  const burst = () => {
    for (let i = 0; i < 500; i++) {
      step++;
      const point = { epoch: 1, batch: step % 469, step, loss: 1 / step, accuracy: 1 - 1 / step };
      send({ type: 'batches', points: [point], samplesPerSecond: 1e6 });
    }
    if (Date.now() - began < floodMs) setImmediate(burst);
    else
      send({ type: 'trainEnd', reason: 'stopped', epochsCompleted: 0, seconds: floodMs / 1000, samplesPerSecond: 0 });
  };
  burst();
}

process.on('message', (request: TrainerRequest) => {
  if (request.type === 'start') flood(request);
  if (request.type === 'shutdown') process.exit(0);
});
process.on('disconnect', () => process.exit(0));
send({ type: 'hello', protocol: PROTOCOL_VERSION, pid: process.pid });
