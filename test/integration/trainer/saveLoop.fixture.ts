// Child process for the crash test: saves two different models (seeds 1 and 2) to one folder,
// alternately, until it is killed. Prints "saved" once the first save is complete, or with `early`
// as its second argument "saving" just before the first save starts (to kill that very save).
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../../../src/trainer/model';
import { saveModel } from '../../../src/trainer/persist';

async function main(): Promise<void> {
  const dir = process.argv[2];
  await tf.setBackend('cpu');
  const models = [buildModel(512, 1), buildModel(512, 2)];
  if (process.argv[3] === 'early') process.stdout.write('saving\n');
  for (let i = 0; ; i++) {
    await saveModel(models[i % 2], dir);
    if (i === 0 && process.argv[3] !== 'early') process.stdout.write('saved\n');
  }
}

void main();
