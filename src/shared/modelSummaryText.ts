// The model summary as Keras's `model.summary()` prints it, as cells: the CLI pads them into
// columns, the dashboard puts them in a table.
import { formatCount, kerasBytes, pythonShape } from './format';
import type { ModelSummary } from './protocol';

export const SUMMARY_HEADER: readonly [string, string, string] = ['Layer (type)', 'Output Shape', 'Param #'];

export interface SummaryText {
  /** `Model: "sequential"`, with the model's own name. */
  caption: string;
  rows: [string, string, string][];
  totals: string[];
}

/** float32 parameters take 4 bytes each. */
const PARAM_BYTES = 4;

export function summaryText(summary: ModelSummary): SummaryText {
  const nonTrainable = summary.totalParams - summary.trainableParams;
  const total = (label: string, params: number) =>
    `${label} params: ${formatCount(params)} (${kerasBytes(params * PARAM_BYTES)})`;
  return {
    caption: `Model: "${summary.name}"`,
    rows: summary.layers.map((l) => [`${l.name} (${l.className})`, pythonShape(l.outputShape), formatCount(l.params)]),
    totals: [
      total('Total', summary.totalParams),
      total('Trainable', summary.trainableParams),
      total('Non-trainable', nonTrainable),
    ],
  };
}
