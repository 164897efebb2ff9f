// The input checks every statistical family makes before fitting, one wording for all.
import { ModelInputError } from "../errors.js";

/** Throws unless `y` has at least `minLength` values, all finite. `family` names the caller. */
export function checkSeries(family: string, y: Float64Array, minLength: number): void {
  if (!(y instanceof Float64Array)) {
    throw new ModelInputError(`${family}: the series must be a Float64Array (got ${Object.prototype.toString.call(y)})`);
  }
  if (y.length < minLength) {
    throw new ModelInputError(
      `${family} needs at least ${minLength} periods of history (got ${y.length}); use a longer history or a simpler model (naive, seasonal naive)`,
    );
  }
  for (let t = 0; t < y.length; t++) {
    if (!Number.isFinite(y[t])) {
      throw new ModelInputError(`${family}: value ${y[t]} at period ${t} is not a finite number; fill gaps before fitting (each period must hold a number)`);
    }
  }
}

/** Throws unless `h` is a whole number of periods, at least 1. */
export function checkHorizon(family: string, h: number): void {
  if (!Number.isInteger(h) || h < 1) {
    throw new ModelInputError(`${family}: the horizon must be a whole number of periods, at least 1 (got ${h})`);
  }
}

/** True when every value equals the first (to a relative 1e-12, so rounding noise counts as constant). */
export function isConstant(y: Float64Array): boolean {
  if (y.length === 0) return true;
  let min = y[0];
  let max = y[0];
  for (let t = 1; t < y.length; t++) {
    if (y[t] < min) min = y[t];
    else if (y[t] > max) max = y[t];
  }
  return max - min <= 1e-12 * Math.max(1, Math.abs(max), Math.abs(min));
}
