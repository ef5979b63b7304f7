// One row of a ten-digit probability chart (the drawing pad, a mistake explained): the digit, a
// bar as wide as its probability and the value; its look is `.bar-row` in common.css and the panel's.
import { h } from './dom';

/** `mark` is a class the panel styles (e.g. 'answer'); `value` is the text after the bar. */
export function probabilityRow(digit: number, probability: number, value: string, mark = ''): HTMLElement {
  const bar = h('span', { class: 'bar' });
  // The width is set through the CSSOM: the CSP blocks inline style attributes.
  bar.style.width = `${probability * 100}%`;
  return h(
    'div',
    { class: mark ? `bar-row ${mark}` : 'bar-row', 'data-digit': String(digit) },
    h('span', { class: 'digit' }, String(digit)),
    h('span', { class: 'track' }, bar),
    h('span', { class: 'value' }, value),
  );
}
