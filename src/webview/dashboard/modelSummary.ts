// The model summary as Keras prints it: Layer (type) | Output Shape | Param #, then the totals.
import type { ModelSummary } from '../../shared/protocol';
import { formatCount } from '../common/format';
import { t } from '../common/strings';

/** Keras's byte size of float32 parameters: "1.55 MB" (1024-based, two decimals). */
export function paramBytes(params: number): string {
  const bytes = params * 4;
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(2)} ${units[unit]}`;
}

export interface SummaryText {
  rows: [string, string, string][];
  totals: string[];
}

export function summaryText(summary: ModelSummary): SummaryText {
  const nonTrainable = summary.totalParams - summary.trainableParams;
  return {
    rows: summary.layers.map((l) => [
      `${l.name} (${l.className})`,
      `(${l.outputShape.map((d) => (d === null ? 'None' : String(d))).join(', ')})`,
      formatCount(l.params),
    ]),
    totals: [
      `Total params: ${formatCount(summary.totalParams)} (${paramBytes(summary.totalParams)})`,
      `Trainable params: ${formatCount(summary.trainableParams)} (${paramBytes(summary.trainableParams)})`,
      `Non-trainable params: ${formatCount(nonTrainable)} (${paramBytes(nonTrainable)})`,
    ],
  };
}

/** Fills the #model-summary table (thead / tbody / tfoot) from the summary. */
export function renderModelSummary(table: HTMLTableElement, summary: ModelSummary | null): void {
  table.replaceChildren();
  const caption = table.createCaption();
  caption.textContent = 'Model: "sequential"';
  const head = table.createTHead().insertRow();
  for (const title of ['Layer (type)', 'Output Shape', 'Param #']) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = title;
    head.append(th);
  }
  const body = table.createTBody();
  if (!summary) {
    const cell = body.insertRow().insertCell();
    cell.colSpan = 3;
    cell.textContent = t('dashboard.noModel');
    return;
  }
  const text = summaryText(summary);
  for (const row of text.rows) {
    const tr = body.insertRow();
    row.forEach((value, i) => {
      const cell = tr.insertCell();
      cell.textContent = value;
      if (i === 2) cell.className = 'number';
    });
  }
  const foot = table.createTFoot();
  for (const total of text.totals) {
    const cell = foot.insertRow().insertCell();
    cell.colSpan = 3;
    cell.textContent = total;
  }
}
