// Bounded Nelder-Mead minimisation, the derivative-free simplex method (Nelder & Mead 1965)
// with the adaptive coefficients of Gao & Han (2012), which keep it working in 3-5 dimensions.
// Bounds are kept by clamping every trial point into the box. This is the variant
// statsforecast uses for Theta and ETS: starting simplex = x0 plus one vertex per coordinate
// scaled by (1 + initialStep) (or set to zeroStep where x0 is 0), stopping when the population
// standard deviation of the vertex values falls under `tolerance` or after `maxIterations`.
// Following the same path matters: the theta parameters the tests compare with statsforecast's
// come out of the same sequence of trial points.

export interface NelderMeadOptions {
  /** Relative step of the starting simplex's vertices. Default 0.05. */
  initialStep?: number;
  /** Starting-simplex value for a coordinate that is 0 in x0. Default 1e-4. */
  zeroStep?: number;
  /** Stop when the standard deviation of the simplex's values is below this. Default 1e-4. */
  tolerance?: number;
  /** Default 1000. */
  maxIterations?: number;
}

export interface NelderMeadResult {
  x: Float64Array;
  value: number;
  iterations: number;
}

/**
 * Minimises `objective` over the box [lower, upper] starting from x0. A NaN value counts as
 * +Infinity (a trial point where the model breaks down is never preferred).
 */
export function nelderMead(
  objective: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  options: NelderMeadOptions = {},
): NelderMeadResult {
  const { initialStep = 0.05, zeroStep = 1e-4, tolerance = 1e-4, maxIterations = 1000 } = options;
  const n = x0.length;
  const clamp = (x: Float64Array): Float64Array => {
    for (let k = 0; k < n; k++) x[k] = Math.min(Math.max(x[k], lower[k]), upper[k]);
    return x;
  };
  const evaluate = (x: Float64Array): number => {
    const value = objective(x);
    return Number.isNaN(value) ? Number.POSITIVE_INFINITY : value;
  };
  // Adaptive coefficients (Gao & Han): reflection 1, expansion, contraction and shrink by dimension.
  const expansion = 1 + 2 / n;
  const contraction = 0.75 - 1 / (2 * n);
  const shrink = 1 - 1 / n;

  const simplex: Float64Array[] = [];
  for (let i = 0; i <= n; i++) {
    const vertex = clamp(Float64Array.from(x0));
    if (i < n) {
      const value = vertex[i];
      vertex[i] = Math.min(Math.max(value === 0 ? zeroStep : value * (1 + initialStep), lower[i]), upper[i]);
    }
    simplex.push(vertex);
  }
  const values = simplex.map(evaluate);
  const order = Array.from({ length: n + 1 }, (_, i) => i);
  const centroid = new Float64Array(n);
  const trial = (from: Float64Array, towards: Float64Array, coefficient: number): Float64Array => {
    const x = new Float64Array(n);
    for (let k = 0; k < n; k++) x[k] = from[k] + coefficient * (towards[k] - from[k]);
    return clamp(x);
  };

  let iteration = 0;
  let best = 0;
  for (; iteration < maxIterations; iteration++) {
    order.sort((a, b) => (values[a] < values[b] ? -1 : values[a] > values[b] ? 1 : 0));
    best = order[0];
    const worst = order[n];
    const secondWorst = order[n - 1];
    if (populationStd(values) < tolerance) break;

    centroid.fill(0);
    for (let i = 0; i <= n; i++) {
      if (i === worst) continue;
      for (let k = 0; k < n; k++) centroid[k] += simplex[i][k];
    }
    for (let k = 0; k < n; k++) centroid[k] /= n;

    // Reflection of the worst vertex through the centroid of the others.
    const reflected = trial(centroid, simplex[worst], -1);
    const fReflected = evaluate(reflected);
    if (values[best] <= fReflected && fReflected < values[secondWorst]) {
      simplex[worst] = reflected;
      values[worst] = fReflected;
      continue;
    }
    if (fReflected < values[best]) {
      const expanded = trial(centroid, reflected, expansion);
      const fExpanded = evaluate(expanded);
      if (fExpanded < fReflected) {
        simplex[worst] = expanded;
        values[worst] = fExpanded;
      } else {
        simplex[worst] = reflected;
        values[worst] = fReflected;
      }
      continue;
    }
    if (values[secondWorst] <= fReflected && fReflected < values[worst]) {
      // Outside contraction, towards the reflected point.
      const contracted = trial(centroid, reflected, contraction);
      const fContracted = evaluate(contracted);
      if (fContracted <= fReflected) {
        simplex[worst] = contracted;
        values[worst] = fContracted;
        continue;
      }
    } else {
      // Inside contraction, towards the worst vertex.
      const contracted = trial(centroid, reflected, -contraction);
      const fContracted = evaluate(contracted);
      if (fContracted < values[worst]) {
        simplex[worst] = contracted;
        values[worst] = fContracted;
        continue;
      }
    }
    // Shrink every vertex towards the best one.
    for (let i = 0; i <= n; i++) {
      if (i === best) continue;
      simplex[i] = trial(simplex[best], simplex[i], shrink);
      values[i] = evaluate(simplex[i]);
    }
  }
  return { x: simplex[best], value: values[best], iterations: iteration + 1 };
}

function populationStd(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  const average = sum / values.length;
  let squares = 0;
  for (const value of values) squares += (value - average) * (value - average);
  return Math.sqrt(squares / values.length);
}
