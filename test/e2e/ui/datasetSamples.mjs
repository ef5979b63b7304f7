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
  const drawn = await samples.first().evaluate((el) => {
    const canvas = el.querySelector('canvas');
    const img = el.querySelector('img');
    return Boolean((canvas && canvas.width > 0) || (img && img.naturalWidth > 0));
  });
  if (!drawn) throw new Error('the first sample has no drawn image (canvas or img)');
  await screenshotBothThemes(page, 'dataset-samples');
}
