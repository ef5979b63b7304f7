// "MNIST: Inspect Dataset Samples" shows real digits with their labels: the labels on screen are
// the labels of those indices in the MNIST files.
import { runCommand, screenshotBothThemes, waitUntil, webviewFrame } from '../lib/workbench.mjs';

export async function datasetSamples({ page, ws }) {
  await runCommand(page, 'MNIST: Inspect Dataset Samples');
  const frame = await webviewFrame(page, 'dataset');
  const samples = frame.locator('#dataset-grid .sample[data-index][data-label]');
  await waitUntil('at least 20 samples in #dataset-grid', async () => (await samples.count()) >= 20, 60_000, page);
  const shown = await samples.evaluateAll((els) =>
    els.slice(0, 40).map((e) => ({ index: Number(e.dataset.index), label: Number(e.dataset.label) })),
  );
  const known = shown.filter((s) => s.index < ws.labels.train.length);
  if (known.length < 10)
    throw new Error(`expected the first samples of the split, got indices ${shown.map((s) => s.index).join(',')}`);
  // The grid opens on the training split (the book's first look at the data).
  const wrong = known.filter((s) => ws.labels.train[s.index] !== s.label);
  if (wrong.length > 0)
    throw new Error(
      `labels differ from train-labels-idx1-ubyte at ${wrong.map((s) => `#${s.index}: ${s.label}≠${ws.labels.train[s.index]}`).join(', ')}`,
    );
  // The first sample's tile shows that digit: every background pixel of the MNIST image in one colour,
  // and its ink in others (tiles are drawn as their pixels arrive, so this is waited for).
  const first = shown[0];
  const pixels = ws.trainImages.slice(first.index * 784, (first.index + 1) * 784);
  if (pixels.length !== 784) throw new Error(`sample #${first.index} is not among the training images the test read`);
  let verdict = '';
  await waitUntil(
    `sample #${first.index}'s tile to show its digit`,
    async () => (verdict = await samples.first().evaluate(tileShows, pixels)) === 'its digit',
    10_000,
    page,
  ).catch(() => {});
  if (verdict !== 'its digit') throw new Error(`sample #${first.index}'s tile: ${verdict}`);
  await screenshotBothThemes(page, 'dataset-samples');
}

/** In the page: whether a tile's 28×28 canvas draws `pixels` (background one colour, ink another), or what it shows. */
function tileShows(tile, pixels) {
  const canvas = tile.querySelector('canvas');
  if (!canvas || canvas.width !== 28 || canvas.height !== 28) return 'no 28×28 canvas';
  const rgba = canvas.getContext('2d').getImageData(0, 0, 28, 28).data;
  const colour = (i) => [rgba[4 * i], rgba[4 * i + 1], rgba[4 * i + 2]];
  const far = (a, b) => Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]);
  const background = colour(pixels.indexOf(0));
  const off = pixels.filter((v, i) => v === 0 && far(colour(i), background) > 6).length;
  const ink = pixels.map((v, i) => [v, i]).filter(([v]) => v >= 128);
  const inked = ink.filter(([, i]) => far(colour(i), background) > 60).length;
  if (off > 0) return `${off} background pixels in another colour`;
  if (inked < 0.95 * ink.length) return `${inked} of ${ink.length} ink pixels drawn apart from the background`;
  return 'its digit';
}
