// Bottom-up: keep the bottom series' base forecasts and sum them into every aggregate.
import { type SummingStructure, sumFromBottom } from "./structure.js";

/** Coherent n × h forecasts from the bottom rows of `baseForecasts` (n × h, row-major). */
export function bottomUp(s: SummingStructure, baseForecasts: Float64Array, h: number): Float64Array {
  const out = new Float64Array(s.seriesCount * h);
  out.set(baseForecasts.subarray(s.aggregateCount * h), s.aggregateCount * h);
  sumFromBottom(s, out, h, out);
  return out;
}
