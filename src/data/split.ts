// The chronological split of a series into a training part, a validation part and an optional
// final test part, the same for every model kind.
//
// Sizes follow the reference (sklearn train_test_split, shuffle=False): the held-out parts get
// ceil(n * fraction) periods, the training part keeps the rest.

export interface SplitBounds {
  /** Periods [0, trainEnd) are training. */
  trainEnd: number;
  /** Periods [trainEnd, validationEnd) are validation. */
  validationEnd: number;
  /** Periods [validationEnd, length) are test (empty when test_fraction is 0). */
  length: number;
}

export function splitBounds(length: number, valFraction: number, testFraction: number): SplitBounds {
  const testLength = testFraction > 0 ? Math.ceil(length * testFraction) : 0;
  const validationLength = Math.ceil(length * valFraction);
  const trainEnd = length - validationLength - testLength;
  return { trainEnd, validationEnd: trainEnd + validationLength, length };
}
