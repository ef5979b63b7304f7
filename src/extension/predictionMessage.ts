// The prediction panel's message for one prediction, apart from the panel manager so a test can
// build it without VS Code.
import { basename } from 'node:path';
import type { Prediction } from '../shared/protocol';
import type { HostToWebview } from '../shared/webviewProtocol';

/**
 * The picture the panel shows is the prediction's own small original (its first preprocessing
 * step, longer side ≤ STEP_SIDE), never the file: a phone photo would cross as megabytes of data: URL.
 */
export function predictionMessage(prediction: Prediction): HostToWebview {
  return { type: 'prediction', prediction, fileName: basename(prediction.file) };
}
