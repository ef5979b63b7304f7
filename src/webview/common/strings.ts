// The panel's words in the display language: the host puts the table in the page's initial state
// (a JSON data block, see src/extension/webviewHtml.ts); English when it is absent (unit tests).
import {
  FAULTS_ELEMENT_ID,
  type Fault,
  type FaultWording,
  completeFaultWording,
  describeFault,
} from '../../shared/faults';
import {
  STRINGS_ELEMENT_ID,
  completeStrings,
  formatString,
  type WebviewStringKey,
  type WebviewStrings,
} from '../../shared/webviewStrings';

let strings: WebviewStrings | null = null;
let faults: FaultWording | null = null;

/** A data block of the page, parsed; null when it is absent or broken. Read on first use: the blocks precede the bundle's script. */
function readBlock(id: string): unknown {
  const text = typeof document === 'undefined' ? null : document.getElementById(id)?.textContent;
  try {
    return text ? (JSON.parse(text) as unknown) : null;
  } catch {
    return null;
  }
}

/** The string of `key`, with {0}, {1}… filled from `args`. */
export function t(key: WebviewStringKey, ...args: (string | number)[]): string {
  strings ??= completeStrings(readBlock(STRINGS_ELEMENT_ID));
  return formatString(strings[key], ...args);
}

/** The trainer's fault in the panel's language (the host's table in the page; English without it). */
export function faultText(fault: Fault): string {
  faults ??= completeFaultWording(readBlock(FAULTS_ELEMENT_ID));
  return describeFault(fault, faults);
}
