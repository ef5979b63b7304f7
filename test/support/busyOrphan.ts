// A child that arms the trainer's parent watchdog, then blocks its main thread for good (as a long
// synchronous tfjs op would): only the watchdog can end it when its parent dies.
import { watchParent } from '../../src/trainer/parentWatchdog';

watchParent();
process.on('disconnect', () => process.exit(0));
process.send?.('ready');
setTimeout(() => {
  for (;;);
}, 200);
