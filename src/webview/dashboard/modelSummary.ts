// The model summary as Keras prints it: Layer (type) | Output Shape | Param #, then the totals.
import { SUMMARY_HEADER, summaryText } from '../../shared/modelSummaryText';
import type { ModelSummary } from '../../shared/protocol';

/** Fills the #model-summary table (thead / tbody / tfoot) from the summary. */
export function renderModelSummary(table: HTMLTableElement, summary: ModelSummary | null): void {
  table.replaceChildren();
  const caption = table.createCaption();
  caption.textContent = summary ? summaryText(summary).caption : 'Model';
  const head = table.createTHead().insertRow();
  for (const title of SUMMARY_HEADER) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = title;
    head.append(th);
  }
  const body = table.createTBody();
  if (!summary) {
    const cell = body.insertRow().insertCell();
    cell.colSpan = 3;
    cell.textContent = 'No model yet: train one (or load one) to see its layers.';
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
