// The trainer's faults in the display language: each English template of FAULT_WORDING is looked up
// in l10n/bundle.l10n.<language>.json (its key) and filled with the fault's parameters. The panels
// get the same table in their page (webviewHtml), so every reader of a fault words it alike.
import * as vscode from 'vscode';
import { errorLine } from '../shared/errors';
import { type Fault, FaultError, type FaultWording, describeFault, localizeFaults } from '../shared/faults';

let wording: FaultWording | undefined;

/** The table in the display language (fixed for the window's life: changing the language reloads it). */
export function localFaultWording(): FaultWording {
  wording ??= localizeFaults((english) => vscode.l10n.t(english));
  return wording;
}

/** One fault, in the display language. */
export function faultLine(fault: Fault): string {
  return describeFault(fault, localFaultWording());
}

/** What a person is told of `error`: a fault in their language, else the error's own line. */
export function errorText(error: unknown): string {
  return error instanceof FaultError ? faultLine(error.fault) : errorLine(error);
}
