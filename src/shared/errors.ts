// How an error reaches a person: one line of text. Every place that shows or sends an error
// message (the CLI's `error:` line, the trainer's error event, the host's notifications) passes it
// through oneLine, so a file name holding a newline or an escape sequence can never print a second
// `error:` line or drive the terminal.

/** The message of anything thrown (an Error's message, else its string form). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `text` with every control character written as an escape (`\n`, `\u001b`): always one line. */
export function oneLine(text: string): string {
  return text.replace(CONTROL, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** messageOf, made one line. */
export function errorLine(error: unknown): string {
  return oneLine(messageOf(error));
}
