// What a prediction may claim: the three likeliest digits, and when to say plainly that the model
// is guessing (a low top probability, or a picture that does not look like one digit).

/** Below this top probability the view and the CLI call the answer a guess. */
export const UNSURE_BELOW = 0.6;

export interface RankedDigit {
  digit: number;
  probability: number;
}

/** The three likeliest digits, most likely first (ties: the smaller digit first). */
export function topThree(probabilities: ArrayLike<number>): RankedDigit[] {
  return Array.from(probabilities, (probability, digit) => ({ digit, probability }))
    .sort((a, b) => b.probability - a.probability || a.digit - b.digit)
    .slice(0, 3);
}

/** Why an answer is a guess: the picture does not look like one digit, or the top probability is low. */
export type UnsureReason =
  | { kind: 'empty' }
  | { kind: 'notADigit' }
  | { kind: 'smallInk'; span: number }
  | { kind: 'notADigitShape'; digit: number; holes: number; endpoints: number; junctions: number }
  | { kind: 'severalDigits' }
  | { kind: 'tooManyMarks'; marks: number }
  | { kind: 'lowProbability'; percent: number };

/** The reason in English (the CLI's words; the prediction view words it in the display language). */
export function unsureText(reason: UnsureReason): string {
  switch (reason.kind) {
    case 'empty':
      return 'no ink found: the picture looks empty';
    case 'notADigit':
      return 'it does not look like a digit: it is far from every digit the model was trained on';
    case 'smallInk':
      return `its strong strokes span only ${reason.span} of the 20 pixels a digit spans: most of what was kept with them is faint`;
    case 'notADigitShape':
      return `it does not have the shape of a digit: no ${reason.digit} the model was trained on has ${reason.holes} hole(s), ${reason.endpoints} stroke end(s) and ${reason.junctions} fork(s)`;
    case 'severalDigits':
      return 'there are several marks the size of a digit: more than one digit, or a word';
    case 'tooManyMarks':
      return `there are ${reason.marks} separate marks: too many for one digit`;
    case 'lowProbability':
      return `the model is unsure: its top answer has only ${reason.percent} % probability`;
  }
}

/** Why the answer should not be trusted, or null: the picture's doubt first, then a low top probability. */
export function unsureReason(probabilities: ArrayLike<number>, doubt: UnsureReason | null): UnsureReason | null {
  if (doubt !== null) return doubt;
  const [top] = topThree(probabilities);
  if (top === undefined || top.probability < UNSURE_BELOW)
    return { kind: 'lowProbability', percent: Math.round((top?.probability ?? 0) * 100) };
  return null;
}
