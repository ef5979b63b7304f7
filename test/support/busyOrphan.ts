// A child that arms the trainer's parent watchdog, then blocks its main thread for good (as a long
// synchronous tfjs op would): only the watchdog can end it when its parent dies. It writes the file
// named by its first argument just before it blocks, so a test knows when the block has begun.
import { writeFileSync } from 'node:fs';
import { watchParent } from '../../src/trainer/parentWatchdog';

watchParent();
process.on('disconnect', () => process.exit(0));
// Once 'ready' has been written to the channel, block for good.
process.send?.('ready', undefined, {}, () => {
  writeFileSync(process.argv[2], 'blocked');
  for (;;);
});
