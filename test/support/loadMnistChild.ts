// Runs the MNIST loader on one folder in its own process, so a test can bound what a hostile folder
// costs (time, peak memory) and survive a loader that hangs. Prints one JSON line.
//   node --import tsx test/support/loadMnistChild.ts DIR [--follow-data-links]
import { loadMnist } from '../../src/trainer/mnistLoader';

let outcome: { loaded: number } | { error: string };
try {
  const followDataLinks = process.argv[3] === '--follow-data-links';
  outcome = { loaded: loadMnist(process.argv[2], { followDataLinks }).train.count };
} catch (error) {
  outcome = { error: error instanceof Error ? error.message : String(error) };
}
const maxRssMB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ ...outcome, maxRssMB })}\n`);
