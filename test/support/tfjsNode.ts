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
