// The prediction panel's message for one prediction, apart from the panel manager so a test can
// build it without VS Code.
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Prediction } from '../shared/protocol';
import type { HostToWebview } from '../shared/webviewProtocol';
import { errorLine } from '../shared/errors';
import type { Logger } from './logger';

const IMAGE_MIME: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg' };

/** The image goes as a data: URI: no user folder has to become a webview resource root. */
export function predictionMessage(prediction: Prediction, log: Logger): HostToWebview {
  const mime = IMAGE_MIME[extname(prediction.file).toLowerCase()] ?? 'application/octet-stream';
  let imageUri = '';
  try {
    imageUri = `data:${mime};base64,${readFileSync(prediction.file).toString('base64')}`;
  } catch (error) {
    log.warn(`could not read ${prediction.file} for display: ${errorLine(error)}`);
  }
  return { type: 'prediction', prediction, imageUri, fileName: basename(prediction.file) };
}
