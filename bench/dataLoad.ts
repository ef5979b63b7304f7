// IDX load time: all 70,000 MNIST samples through the shared loader the trainer uses.
import { loadMnist } from '../src/trainer/mnistLoader';
import { type Figure, repeat, timeMs } from './measure';

export async function measureIdxLoad(runs: number): Promise<{ samples: number; ms: Figure }> {
  let samples = 0;
  const ms = await repeat(
    runs,
    () =>
      timeMs(() => {
        const mnist = loadMnist();
        samples = mnist.train.count + mnist.test.count;
      }),
    1,
  );
  return { samples, ms };
}
