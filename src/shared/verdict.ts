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

/** Why the answer should not be trusted, or null: the picture's doubt first, then a low top probability. */
export function unsureReason(probabilities: ArrayLike<number>, doubt: string | null): string | null {
  if (doubt !== null) return doubt;
  const [top] = topThree(probabilities);
  if (top === undefined || top.probability < UNSURE_BELOW)
    return `the model is unsure: its top answer has only ${Math.round((top?.probability ?? 0) * 100)} % probability`;
  return null;
}
