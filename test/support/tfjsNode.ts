import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** Whether the optional @tensorflow/tfjs-node is installed (it cannot install on machines without
 * access to its libtensorflow download, such as CI here). */
export function tfjsNodeInstalled(): boolean {
  try {
    require.resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

/** The cache `npm run setup:native` fills: the same rule as the script (an absolute XDG_CACHE_HOME, else ~/.cache). */
export const NATIVE_CACHE = join(
  process.env.XDG_CACHE_HOME && isAbsolute(process.env.XDG_CACHE_HOME)
    ? process.env.XDG_CACHE_HOME
    : join(homedir(), '.cache'),
  'tensor-lens',
  'native',
);
