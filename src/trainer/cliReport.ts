// What the CLI prints for the trainer's events: Keras-like text (a progress bar redrawn in place on
// a terminal) or, with --json, one JSON object per line for scripts. Lines can hold names the user
// chose (a model folder): every line passes through oneLine, as error lines do, so a name holding a
// newline or an escape sequence can neither print a fake line nor drive the terminal.
import { oneLine } from '../shared/errors';
import { countOf, pythonShape } from '../shared/format';
import { SUMMARY_HEADER, summaryText } from '../shared/modelSummaryText';
import type { BatchPoint, ModelSummary, TensorSummary, TrainerEvent } from '../shared/protocol';
import { unsureText } from '../shared/verdict';

export interface Output {
  write(text: string): void;
  isTTY: boolean;
}

/** What the final `done` line needs, gathered from the events as they pass. */
export interface RunTally {
  backend: string | null;
  trainAccuracy: number | null;
  testLoss: number | null;
  testAccuracy: number | null;
  samplesPerSecond: number | null;
  seconds: number | null;
  modelDir: string | null;
  stopped: boolean;
}

export function emptyTally(): RunTally {
  return {
    backend: null,
    trainAccuracy: null,
    testLoss: null,
    testAccuracy: null,
    samplesPerSecond: null,
    seconds: null,
    modelDir: null,
    stopped: false,
  };
}

export function tallyEvent(tally: RunTally, event: TrainerEvent): void {
  if (event.type === 'backend') tally.backend = event.backend;
  else if (event.type === 'epoch') tally.trainAccuracy = event.metrics.accuracy;
  else if (event.type === 'trainEnd') {
    tally.samplesPerSecond = event.samplesPerSecond;
    tally.seconds = event.seconds;
    tally.stopped = event.reason === 'stopped';
  } else if (event.type === 'evaluation') {
    tally.testLoss = event.evaluation.testLoss;
    tally.testAccuracy = event.evaluation.testAccuracy;
  } else if (event.type === 'saved') tally.modelDir = event.modelDir;
}

const BAR_WIDTH = 20;

function durationText(seconds: number): string {
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m ${Math.round(seconds % 60)}s` : `${Math.round(seconds)}s`;
}

/** One Keras progress line: `469/469 ━━━━━━━━━━━━━━━━━━━━ 8s 17ms/step - accuracy: 0.9254 - loss: 0.2597`. */
export function progressLine(
  done: number,
  total: number,
  seconds: number,
  metrics: [string, number][],
  ansi: boolean,
): string {
  const filled = Math.round((BAR_WIDTH * done) / total);
  const bar = ansi
    ? `━`.repeat(filled) + `\x1b[2m${'━'.repeat(BAR_WIDTH - filled)}\x1b[0m`
    : '━'.repeat(filled) + ' '.repeat(BAR_WIDTH - filled);
  const perStep = done > 0 ? (seconds * 1000) / done : 0;
  // Keras shows the time left while an epoch runs and the time taken once it is done.
  const time = done < total ? durationText((perStep * (total - done)) / 1000) : durationText(seconds);
  const values = metrics.map(([name, value]) => ` - ${name}: ${value.toFixed(4)}`).join('');
  return `${String(done).padStart(String(total).length)}/${total} ${bar} ${time} ${Math.round(perStep)}ms/step${values}`;
}

export function modelSummaryLines(summary: ModelSummary): string[] {
  const { caption, rows, totals } = summaryText(summary);
  const header = [...SUMMARY_HEADER];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)) + 2);
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('');
  return [caption, line(header), ...rows.map(line), ...totals];
}

function datasetLine(t: TensorSummary): string {
  return `${t.name} shape ${pythonShape(t.shape)} dtype ${t.dtype}`;
}

/** Keras-like text. Keeps the running means of the current epoch for the bar. */
export class TextReport {
  private batchesPerEpoch = 0;
  private epochs = 0;
  private epochStarted = 0;
  private sums = { loss: 0, accuracy: 0, count: 0 };
  /** The last batch trained, and whether the run was stopped there: a stopped run's save names it. */
  private lastBatch: BatchPoint | null = null;
  private stopped = false;

  constructor(private readonly out: Output) {}

  private line(text: string): void {
    this.out.write(`${oneLine(text)}\n`);
  }

  private epochHeader(epoch: number): void {
    this.line(`Epoch ${epoch}/${this.epochs}`);
    this.sums = { loss: 0, accuracy: 0, count: 0 };
  }

  private batches(points: BatchPoint[]): void {
    for (const p of points) {
      if (p.batch === 0) this.epochHeader(p.epoch);
      this.sums.loss += p.loss;
      this.sums.accuracy += p.accuracy;
      this.sums.count++;
    }
    const last = points[points.length - 1];
    if (last !== undefined) this.lastBatch = last;
    if (!this.out.isTTY || last === undefined) return;
    const { loss, accuracy, count } = this.sums;
    const seconds = (performance.now() - this.epochStarted) / 1000;
    const text = progressLine(
      last.batch + 1,
      this.batchesPerEpoch,
      seconds,
      [
        ['accuracy', accuracy / count],
        ['loss', loss / count],
      ],
      true,
    );
    this.out.write(`\r${text}\x1b[K`);
  }

  event(event: TrainerEvent): void {
    switch (event.type) {
      case 'backend':
        return this.line(`backend: ${event.detail}`);
      case 'dataset':
        return event.tensors.forEach((t) => this.line(datasetLine(t)));
      case 'modelSummary':
        return modelSummaryLines(event.summary).forEach((l) => this.line(l));
      case 'trainStart':
        this.batchesPerEpoch = event.batchesPerEpoch;
        this.epochs = event.config.epochs;
        this.epochStarted = performance.now();
        return this.line(
          `training on ${event.trainSamples} samples${event.valSamples > 0 ? `, validating on ${event.valSamples}` : ''}, ${countOf(event.threads, 'thread')}`,
        );
      case 'batches':
        return this.batches(event.points);
      case 'epoch': {
        const m = event.metrics;
        const metrics: [string, number][] = [
          ['accuracy', m.accuracy],
          ['loss', m.loss],
        ];
        if (m.valAccuracy !== null && m.valLoss !== null)
          metrics.push(['val_accuracy', m.valAccuracy], ['val_loss', m.valLoss]);
        if (this.sums.count === 0) this.line(`Epoch ${m.epoch}/${m.epochs}`);
        const text = progressLine(this.batchesPerEpoch, this.batchesPerEpoch, m.seconds, metrics, this.out.isTTY);
        this.sums.count = 0;
        this.epochStarted = performance.now();
        return this.out.write(`${this.out.isTTY ? '\r' : ''}${text}${this.out.isTTY ? '\x1b[K' : ''}\n`);
      }
      case 'trainEnd':
        this.stopped = event.reason === 'stopped';
        return this.line(
          `${event.reason === 'stopped' ? 'stopped' : 'trained'}: ${countOf(event.epochsCompleted, 'epoch')} in ${durationText(event.seconds)} (${Math.round(event.samplesPerSecond)} samples/s)`,
        );
      case 'evaluation':
        return this.line(
          `test_loss: ${event.evaluation.testLoss.toFixed(4)} - test_accuracy: ${event.evaluation.testAccuracy.toFixed(4)}`,
        );
      case 'saved': {
        const last = this.lastBatch;
        if (!this.stopped || last === null) return this.line(`model saved to ${event.modelDir}`);
        return this.line(
          `stopped after epoch ${last.epoch}, batch ${last.batch + 1}/${this.batchesPerEpoch}; model saved to ${event.modelDir}`,
        );
      }
      case 'loaded':
        return this.line(`model loaded from ${event.modelDir}`);
      case 'prediction': {
        const { digit, probabilities, top3, unsure } = event.prediction;
        this.line(`digit: ${digit}`);
        if (unsure !== null) this.line(`unsure: ${unsureText(unsure)} — ${digit} is a guess`);
        this.line(`top 3: ${top3.map((r) => `${r.digit} (${(r.probability * 100).toFixed(1)} %)`).join(', ')}`);
        return probabilities.forEach((p, d) => this.line(`  ${d}: ${p.toFixed(4)} ${'█'.repeat(Math.round(p * 30))}`));
      }
      default:
        return; // hello, weights, tensor, error: nothing to print (errors are printed by the caller)
    }
  }
}

/**
 * `value` as one line of JSON. JSON.stringify escapes C0 controls; oneLine also escapes the C1
 * controls and line separators it leaves raw, as JSON escapes that parse back to the same text.
 */
export function jsonText(value: object): string {
  return oneLine(JSON.stringify(value));
}

/** One JSON object per line; `done` is written by the caller at the end. */
export function jsonLine(event: TrainerEvent): string | null {
  switch (event.type) {
    case 'backend':
      return jsonText({ event: 'backend', backend: event.backend, detail: event.detail });
    case 'dataset':
      return jsonText({
        event: 'dataset',
        source: event.source,
        tensors: event.tensors.map((t) => ({ name: t.name, shape: t.shape, dtype: t.dtype })),
      });
    case 'trainStart':
      return jsonText({
        event: 'trainStart',
        threads: event.threads,
        trainSamples: event.trainSamples,
        valSamples: event.valSamples,
        batchesPerEpoch: event.batchesPerEpoch,
      });
    case 'epoch':
      return jsonText({ event: 'epoch', ...event.metrics });
    case 'trainEnd':
      return jsonText({
        event: 'trainEnd',
        reason: event.reason,
        epochsCompleted: event.epochsCompleted,
        seconds: event.seconds,
        samplesPerSecond: event.samplesPerSecond,
      });
    case 'evaluation':
      return jsonText({
        event: 'evaluation',
        testLoss: event.evaluation.testLoss,
        testAccuracy: event.evaluation.testAccuracy,
        perClassAccuracy: event.evaluation.perClassAccuracy,
      });
    case 'saved':
      return jsonText({ event: 'saved', modelDir: event.modelDir });
    case 'prediction':
      return jsonText({
        event: 'prediction',
        file: event.prediction.file,
        digit: event.prediction.digit,
        probabilities: event.prediction.probabilities,
        top3: event.prediction.top3,
        unsure: event.prediction.unsure === null ? null : unsureText(event.prediction.unsure),
        // The pictures themselves stay out of the JSON: their names and sizes say what ran.
        reading: event.prediction.reading,
        steps: event.prediction.steps.map(({ name, width, height }) => ({ name, width, height })),
      });
    default:
      return null;
  }
}
