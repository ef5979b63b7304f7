// One training step up close (MNIST: Train One Batch) through the engine on the book's model: from
// the step request to its report (the batch trained, gradients and updates summarised), plus what
// opening the first layer's gradient and update in the inspector costs (getTensor and the host's
// inspector payload). An ordinary batch of the same run, timed the same way, is the reference.
import { DEFAULT_TRAIN_CONFIG, type TrainerEvent, gradientName, updateName } from '../src/shared/protocol';
import { weightView } from '../src/extension/datasetStore';
import { Trainer } from '../src/trainer/engine';
import { type Figure, summarize } from './measure';

export interface StepFigures {
  /** Step request → step event (batch trained, 8 tensors summarised). */
  step: Figure;
  /** The same plus getTensor of gradient/ and update/dense/kernel and their inspector payloads. */
  stepAndTensors: Figure;
}

export async function measureStep(steps: number): Promise<StepFigures> {
  const waiting = new Map<number, (event: TrainerEvent) => void>();
  const trainer = new Trainer((event) => {
    const requestId = 'requestId' in event ? event.requestId : null;
    if (requestId !== null) waiting.get(requestId)?.(event);
    if (event.type === 'error') throw new Error(event.message);
  });
  let nextId = 1;
  const ask = (request: (requestId: number) => Parameters<Trainer['handle']>[0]) => {
    const requestId = nextId++;
    const answer = new Promise<TrainerEvent>((resolve) => waiting.set(requestId, resolve));
    void trainer.handle(request(requestId));
    return answer;
  };
  const config = { ...DEFAULT_TRAIN_CONFIG, backend: 'wasm' as const, epochs: 1 };
  // The first step loads MNIST and builds the model: not part of the figure.
  await ask((requestId) => ({ type: 'step', requestId, config }));
  const stepMs: number[] = [];
  const totalMs: number[] = [];
  for (let i = 0; i < steps; i++) {
    const start = performance.now();
    await ask((requestId) => ({ type: 'step', requestId, config }));
    stepMs.push(performance.now() - start);
    for (const name of [gradientName('dense/kernel'), updateName('dense/kernel')]) {
      const tensor = (await ask((requestId) => ({ type: 'getTensor', requestId, name }))) as Extract<
        TrainerEvent,
        { type: 'tensor' }
      >;
      weightView(tensor.name, tensor.shape, tensor.values);
    }
    totalMs.push(performance.now() - start);
  }
  await trainer.handle({ type: 'stop' });
  return { step: summarize(stepMs), stepAndTensors: summarize(totalMs) };
}
