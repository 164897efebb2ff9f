// Simple exponential smoothing with the level started at the first value (the "simple"
// initialisation of R's ses(initial = "simple") and of statsforecast's Croston family):
//   ŷ_1 = y_0,  ŷ_{t+1} = α y_t + (1 − α) ŷ_t.
// Croston's method, SBA and TSB smooth their demand, interval and probability series with it.

/** The forecast after the last value of `x` (x must hold at least one value). */
export function sesForecast(x: ArrayLike<number>, alpha: number): number {
  if (x.length === 1) return x[0];
  let forecast = x[0];
  for (let t = 1; t < x.length; t++) forecast = alpha * x[t] + (1 - alpha) * forecast;
  return forecast;
}

/** Sum of squared one-step errors of ŷ_t for t = 1 .. n−1 (0 for fewer than 2 values). */
export function sesSse(x: ArrayLike<number>, alpha: number): number {
  let forecast = x[0];
  let sse = 0;
  for (let t = 1; t < x.length; t++) {
    forecast = alpha * x[t - 1] + (1 - alpha) * forecast;
    const error = x[t] - forecast;
    sse += error * error;
  }
  return sse;
}

/**
 * The α in [lower, upper] with the smallest sesSse, by golden-section search down to a bracket
 * of `tolerance` (1e-12: statsforecast's CrostonOptimized searches [0.1, 0.3] the same way). On
 * a tie between the two probes the search stops at the middle of the current bracket.
 */
export function optimiseSesAlpha(x: ArrayLike<number>, lower: number, upper: number, tolerance = 1e-12): number {
  const search = new GoldenSearch(lower, upper, tolerance);
  search.start(sesSse(x, search.c), sesSse(x, search.d));
  while (!search.done) search.step(sesSse(x, search.probe));
  return search.result;
}

/**
 * optimiseSesAlpha for two series at once (Croston's sizes and intervals, TSB's sizes and
 * occurrences), each in its own box: the same two searches, with each pair of error sums
 * computed in one loop whose two independent recursions the processor runs side by side. Same
 * results, about half the time.
 */
export function optimiseSesAlphaPair(
  x: Float64Array,
  y: Float64Array,
  xBox: readonly [number, number],
  yBox: readonly [number, number],
  tolerance = 1e-12,
): { x: number; y: number } {
  const sx = new GoldenSearch(xBox[0], xBox[1], tolerance);
  const sy = new GoldenSearch(yBox[0], yBox[1], tolerance);
  const [xc, yc] = sesSsePair(x, sx.c, y, sy.c);
  const [xd, yd] = sesSsePair(x, sx.d, y, sy.d);
  sx.start(xc, xd);
  sy.start(yc, yd);
  while (!sx.done && !sy.done) {
    const [fx, fy] = sesSsePair(x, sx.probe, y, sy.probe);
    sx.step(fx);
    sy.step(fy);
  }
  while (!sx.done) sx.step(sesSse(x, sx.probe));
  while (!sy.done) sy.step(sesSse(y, sy.probe));
  return { x: sx.result, y: sy.result };
}

/** sesSse of x at α and of y at β: jointly over their common length, then the longer one's tail. */
function sesSsePair(x: Float64Array, alpha: number, y: Float64Array, beta: number): [number, number] {
  let fx = x[0];
  let fy = y[0];
  let sx = 0;
  let sy = 0;
  const common = Math.min(x.length, y.length);
  for (let t = 1; t < common; t++) {
    fx = alpha * x[t - 1] + (1 - alpha) * fx;
    fy = beta * y[t - 1] + (1 - beta) * fy;
    const ex = x[t] - fx;
    const ey = y[t] - fy;
    sx += ex * ex;
    sy += ey * ey;
  }
  for (let t = Math.max(1, common); t < x.length; t++) {
    fx = alpha * x[t - 1] + (1 - alpha) * fx;
    const ex = x[t] - fx;
    sx += ex * ex;
  }
  for (let t = Math.max(1, common); t < y.length; t++) {
    fy = beta * y[t - 1] + (1 - beta) * fy;
    const ey = y[t] - fy;
    sy += ey * ey;
  }
  return [sx, sy];
}

/**
 * Golden-section search as a state machine, so two searches can share their evaluations:
 * read `probe`, evaluate there, pass the value to step(), until `done`.
 */
class GoldenSearch {
  private static readonly RATIO = (Math.sqrt(5) + 1) / 2;
  a: number;
  b: number;
  c: number;
  d: number;
  private fc = 0;
  private fd = 0;
  /** Which interior point the next evaluation is for. */
  private next: "c" | "d" = "c";
  done = false;

  constructor(
    lower: number,
    upper: number,
    private readonly tolerance: number,
  ) {
    this.a = lower;
    this.b = upper;
    this.c = upper - (upper - lower) / GoldenSearch.RATIO;
    this.d = lower + (upper - lower) / GoldenSearch.RATIO;
  }

  get probe(): number {
    return this.next === "c" ? this.c : this.d;
  }

  get result(): number {
    return (this.a + this.b) / 2;
  }

  start(fc: number, fd: number): void {
    this.fc = fc;
    this.fd = fd;
    this.advance();
  }

  step(value: number): void {
    if (this.next === "c") this.fc = value;
    else this.fd = value;
    this.advance();
  }

  /** Narrows the bracket on the two known values and names the next point to evaluate. */
  private advance(): void {
    if (Math.abs(this.b - this.a) < this.tolerance) {
      this.done = true;
    } else if (this.fc < this.fd) {
      this.b = this.d;
      this.d = this.c;
      this.fd = this.fc;
      this.c = this.b - (this.b - this.a) / GoldenSearch.RATIO;
      this.next = "c";
    } else if (this.fd < this.fc) {
      this.a = this.c;
      this.c = this.d;
      this.fc = this.fd;
      this.d = this.a + (this.b - this.a) / GoldenSearch.RATIO;
      this.next = "d";
    } else {
      this.done = true;
    }
  }
}
