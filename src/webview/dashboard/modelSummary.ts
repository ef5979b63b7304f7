// The model summary as Keras prints it: Layer (type) | Output Shape | Param #, then the totals.
import { SUMMARY_HEADER, summaryText } from '../../shared/modelSummaryText';
import type { ModelSummary } from '../../shared/protocol';
import { h } from '../common/dom';
import { t } from '../common/strings';

/** Fills the #model-summary table (thead / tbody / tfoot) from the summary. */
export function renderModelSummary(table: HTMLTableElement, summary: ModelSummary | null): void {
  const text = summary ? summaryText(summary) : null;
  const head = h('thead', {}, h('tr', {}, ...SUMMARY_HEADER.map((title) => h('th', { scope: 'col' }, title))));
  const fullRow = (content: string) => h('tr', {}, h('td', { colspan: '3' }, content));
  const body = text
    ? text.rows.map(([layer, shape, params]) =>
        h('tr', {}, h('td', {}, layer), h('td', {}, shape), h('td', { class: 'number' }, params)),
      )
    : [fullRow(t('dashboard.noModel'))];
  table.replaceChildren(
    h('caption', {}, text ? text.caption : t('dashboard.model')),
    head,
    h('tbody', {}, ...body),
    ...(text ? [h('tfoot', {}, ...text.totals.map(fullRow))] : []),
  );
}
