// Messages from the host are checked before a panel uses them: the shape is trusted only after
// its `type` and the fields the panels read have been seen.
import { type HostToWebview, type TensorPayload, isTensorRef } from '../../shared/webviewProtocol';
import { MNIST_PIXELS } from '../../shared/mnist';
import { matrixDims } from '../../shared/tensorSlice';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

const isHistogram = (v: unknown): boolean =>
  isObject(v) && typeof v.min === 'number' && typeof v.max === 'number' && Array.isArray(v.counts);
/** A tensor the inspector can draw: its values fill the matrix its shape draws, or none came and its snapshot says why. */
function isTensorPayload(t: unknown): t is TensorPayload {
  if (!isObject(t) || !isTensorRef(t.ref) || !Array.isArray(t.shape) || !t.shape.every(isCount)) return false;
  if (!isObject(t.summary) || !isObject(t.summary.stats) || !isObject(t.summary.histogram)) return false;
  if (t.sliceIndex !== null && !isCount(t.sliceIndex)) return false;
  const snapshot = t.snapshot;
  if (snapshot !== null && !(isObject(snapshot) && ['values', 'tooLarge', 'notKept'].includes(snapshot.kind as string)))
    return false;
  if (t.values === null) return isObject(snapshot) && snapshot.kind !== 'values';
  const [rows, cols] = matrixDims(t.shape as number[]);
  return t.values instanceof Float32Array && t.values.length === rows * cols;
}

/** The message as a HostToWebview, or null when it is not one (wrong type or missing fields). */
export function readHostMessage(raw: unknown): HostToWebview | null {
  if (!isObject(raw) || typeof raw.type !== 'string') return null;
  const msg = raw as HostToWebview;
  switch (msg.type) {
    case 'runState':
      return isObject(msg.state) && Array.isArray(msg.state.batches) ? msg : null;
    case 'trainerEvents':
      return Array.isArray(msg.events) && msg.events.every((e) => isObject(e) && typeof e.type === 'string')
        ? msg
        : null;
    case 'tensor':
      return isTensorPayload(msg.tensor) ? msg : null;
    case 'datasetInfo':
      return isObject(msg.counts) &&
        isObject(msg.labels) &&
        msg.labels.train instanceof Uint8Array &&
        msg.labels.test instanceof Uint8Array
        ? msg
        : null;
    case 'samples':
      return (msg.split === 'train' || msg.split === 'test') &&
        isCount(msg.start) &&
        isCount(msg.count) &&
        msg.images instanceof Uint8Array &&
        msg.images.length === msg.count * MNIST_PIXELS
        ? msg
        : null;
    case 'prediction':
      return isObject(msg.prediction) &&
        Array.isArray(msg.prediction.probabilities) &&
        Array.isArray(msg.prediction.steps) &&
        typeof msg.fileName === 'string'
        ? msg
        : null;
    case 'noModel':
      return msg;
    case 'tensorUnavailable':
      return typeof msg.name === 'string' && typeof msg.reason === 'string' ? msg : null;
    case 'drawWeights': {
      const w = msg.weights;
      if (!isObject(w)) return null;
      const { kernel1, bias1, kernel2, bias2 } = w;
      const arrays = [kernel1, bias1, kernel2, bias2];
      if (!arrays.every((a) => a instanceof Float32Array)) return null;
      // Shapes that fit together: [MNIST_PIXELS, h], [h], [h, c], [c].
      return kernel1.length === MNIST_PIXELS * bias1.length && kernel2.length === bias1.length * bias2.length
        ? msg
        : null;
    }
    case 'mistake': {
      const m = msg.mistake;
      return isObject(m) &&
        m.image instanceof Uint8Array &&
        m.image.length === MNIST_PIXELS &&
        Array.isArray(m.probabilities) &&
        Array.isArray(m.nearest) &&
        m.nearest.every((n) => n.image instanceof Uint8Array && n.image.length === MNIST_PIXELS) &&
        Array.isArray(m.units) &&
        m.units.every((u) => u.weights instanceof Float32Array && u.weights.length === MNIST_PIXELS)
        ? msg
        : null;
    }
    case 'runs':
      return Array.isArray(msg.runs) &&
        msg.runs.every(
          (r) => isObject(r) && typeof r.label === 'string' && isObject(r.record) && Array.isArray(r.record.epochs),
        ) &&
        Array.isArray(msg.keras) &&
        msg.keras.every(
          (k) => isObject(k) && typeof k.label === 'string' && isObject(k.run) && Array.isArray(k.run.epochs),
        )
        ? msg
        : null;
    case 'kerasRun':
      return isObject(msg.run) &&
        typeof msg.run.name === 'string' &&
        Array.isArray(msg.run.metrics) &&
        msg.run.metrics.every(
          (m) =>
            isObject(m) &&
            typeof m.name === 'string' &&
            Array.isArray(m.steps) &&
            Array.isArray(m.means) &&
            Array.isArray(m.values) &&
            Array.isArray(m.epochs) &&
            Array.isArray(m.train) &&
            (m.validation === null || Array.isArray(m.validation)),
        ) &&
        Array.isArray(msg.run.weights) &&
        msg.run.weights.every((w) => isObject(w) && typeof w.name === 'string' && Array.isArray(w.shape)) &&
        Array.isArray(msg.run.snapshots) &&
        msg.run.snapshots.every(
          (s) =>
            isObject(s) &&
            Array.isArray(s.weights) &&
            s.weights.length === msg.run.weights.length &&
            s.weights.every((w) => w === null || (isObject(w) && isObject(w.stats) && isHistogram(w.histogram))),
        ) &&
        isObject(msg.run.updates) &&
        Array.isArray(msg.run.updates.steps) &&
        Array.isArray(msg.run.updates.spans) &&
        msg.run.updates.spans.length === msg.run.updates.steps.length &&
        Array.isArray(msg.run.updates.byWeight) &&
        msg.run.updates.byWeight.length === msg.run.weights.length &&
        msg.run.updates.byWeight.every((sizes) => Array.isArray(sizes)) &&
        isObject(msg.run.gradients) &&
        typeof msg.run.gradients.available === 'boolean' &&
        (msg.run.gradients.reason === null || typeof msg.run.gradients.reason === 'string') &&
        Array.isArray(msg.run.gradients.steps) &&
        Array.isArray(msg.run.gradients.byWeight) &&
        msg.run.gradients.byWeight.length === msg.run.weights.length &&
        msg.run.gradients.byWeight.every(
          (norms) => Array.isArray(norms) && norms.length === (msg.run.gradients as { steps: unknown[] }).steps.length,
        )
        ? msg
        : null;
    default:
      return null;
  }
}
