// The Nelder–Mead simplex search as R's optim(method = "Nelder-Mead") runs it (Nash's nmmin,
// which forecast::ets calls with reflection 1, contraction 0.5, expansion 2, relative tolerance
// sqrt(machine epsilon), 2000 evaluations at most): the same first simplex, the same moves and
// the same stopping rule, so a fit lands where R's does. Buffers are made once per dimension.

/** A value the objective returns for a point outside the allowed region (R's `big`). */
const BIG = 1.0e35;

export interface NelderMeadResult {
  /** The best point found (a view of the optimiser's buffer: copy it to keep it). */
  x: Float64Array;
  value: number;
  evaluations: number;
  /** 0 converged, 1 evaluation limit reached, 10 the simplex stopped shrinking. */
  fail: number;
}

export class NelderMead {
  private readonly n: number;
  /** Simplex: (n + 1) vertices and the centroid, each n coordinates; values apart. */
  private readonly vertices: Float64Array;
  private readonly values: Float64Array;
  private readonly centroid: Float64Array;
  private readonly trial: Float64Array;
  private readonly best: Float64Array;

  constructor(n: number) {
    this.n = n;
    this.vertices = new Float64Array((n + 1) * n);
    this.values = new Float64Array(n + 1);
    this.centroid = new Float64Array(n);
    this.trial = new Float64Array(n);
    this.best = new Float64Array(n);
  }

  /**
   * Minimises f from start. f may return Infinity or NaN for points it refuses; the start must
   * give a finite value, else value is Infinity and nothing is searched.
   */
  minimise(
    f: (x: Float64Array) => number,
    start: Float64Array,
    maxEvaluations = 2000,
    relTol = Math.sqrt(Number.EPSILON),
    reflection = 1,
    contraction = 0.5,
    expansion = 2,
  ): NelderMeadResult {
    const n = this.n;
    const P = this.vertices;
    const V = this.values;
    const C = this.centroid;
    const B = this.trial;
    const at = (j: number, i: number): number => j * n + i;
    const evaluate = (x: Float64Array): number => {
      const v = f(x);
      return Number.isFinite(v) ? v : BIG;
    };
    B.set(start);
    const f0 = f(B);
    if (!Number.isFinite(f0)) {
      this.best.set(start);
      return { x: this.best, value: Infinity, evaluations: 1, fail: 2 };
    }
    let evaluations = 1;
    const convtol = relTol * (Math.abs(f0) + relTol);
    for (let i = 0; i < n; i++) P[at(0, i)] = start[i];
    V[0] = f0;
    let L = 0;
    let step = 0;
    for (let i = 0; i < n; i++) step = Math.max(step, 0.1 * Math.abs(start[i]));
    if (step === 0) step = 0.1;
    let size = 0;
    for (let j = 1; j <= n; j++) {
      for (let i = 0; i < n; i++) P[at(j, i)] = start[i];
      let tryStep = step;
      while (P[at(j, j - 1)] === start[j - 1]) {
        P[at(j, j - 1)] = start[j - 1] + tryStep;
        tryStep *= 10;
      }
      size += tryStep;
    }
    let oldSize = size;
    let recompute = true;
    let fail = 0;
    do {
      if (recompute) {
        for (let j = 0; j <= n; j++) {
          if (j === L) continue;
          for (let i = 0; i < n; i++) B[i] = P[at(j, i)];
          V[j] = evaluate(B);
          evaluations++;
        }
        recompute = false;
      }
      let VL = V[L];
      let VH = VL;
      let H = L;
      for (let j = 0; j <= n; j++) {
        if (j === L) continue;
        const v = V[j];
        if (v < VL) {
          L = j;
          VL = v;
        }
        if (v > VH) {
          H = j;
          VH = v;
        }
      }
      if (VH <= VL + convtol) break;
      // centroid of every vertex but the worst
      for (let i = 0; i < n; i++) {
        let s = -P[at(H, i)];
        for (let j = 0; j <= n; j++) s += P[at(j, i)];
        C[i] = s / n;
      }
      for (let i = 0; i < n; i++) B[i] = (1 + reflection) * C[i] - reflection * P[at(H, i)];
      const VR = evaluate(B);
      evaluations++;
      if (VR < VL) {
        // expand: the centroid slot keeps the reflected point meanwhile (as nmmin does)
        for (let i = 0; i < n; i++) {
          const e = expansion * B[i] + (1 - expansion) * C[i];
          C[i] = B[i];
          B[i] = e;
        }
        const VE = evaluate(B);
        evaluations++;
        if (VE < VR) {
          for (let i = 0; i < n; i++) P[at(H, i)] = B[i];
          V[H] = VE;
        } else {
          for (let i = 0; i < n; i++) P[at(H, i)] = C[i];
          V[H] = VR;
        }
      } else {
        if (VR < VH) {
          for (let i = 0; i < n; i++) P[at(H, i)] = B[i];
          V[H] = VR;
        }
        for (let i = 0; i < n; i++) B[i] = (1 - contraction) * P[at(H, i)] + contraction * C[i];
        const VC = evaluate(B);
        evaluations++;
        if (VC < V[H]) {
          for (let i = 0; i < n; i++) P[at(H, i)] = B[i];
          V[H] = VC;
        } else if (VR >= VH) {
          // shrink towards the best vertex
          recompute = true;
          size = 0;
          for (let j = 0; j <= n; j++) {
            if (j === L) continue;
            for (let i = 0; i < n; i++) {
              P[at(j, i)] = contraction * (P[at(j, i)] - P[at(L, i)]) + P[at(L, i)];
              size += Math.abs(P[at(j, i)] - P[at(L, i)]);
            }
          }
          if (size < oldSize) {
            oldSize = size;
          } else {
            fail = 10;
            break;
          }
        }
      }
    } while (evaluations <= maxEvaluations);
    for (let i = 0; i < n; i++) this.best[i] = P[at(L, i)];
    if (evaluations > maxEvaluations) fail = 1;
    return { x: this.best, value: V[L], evaluations, fail };
  }
}
