/**
 * Quasi-Newton minimisation as R's optim(method = "BFGS") does it (Nash's variable metric
 * algorithm, vmmin): the inverse Hessian approximation updated by BFGS, a backtracking line
 * search with Armijo's condition, restarts when the update loses positive definiteness,
 * gradients by central differences, parameters scaled by `parscale`. Followed where needed by
 * optim's finite-difference Hessian (optimhess). Written after R's documented behaviour so that
 * fits land where R's do; same defaults (ndeps 1e-3, maxit 100, reltol sqrt(machine epsilon)).
 */

/** A failure R reports as an error (and auto.arima counts as a model that cannot be fitted). */
export class OptimError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OptimError";
  }
}

export interface OptimOptions {
  /** Typical magnitude of each parameter: the optimiser works on par / parscale. */
  parscale: Float64Array;
  /** Finite-difference step on the scaled parameters (default 1e-3). */
  ndeps?: number;
  maxit?: number;
  reltol?: number;
}

export interface OptimResult {
  par: Float64Array;
  value: number;
  /** 0: converged; 1: maxit reached (R's `convergence`). */
  convergence: number;
  evaluations: number;
}

const STEP_REDUCTION = 0.2;
const ARMIJO = 1e-4;
/** Steps too small to change any parameter at this offset end the line search. */
const STEP_TEST = 10;

/** Minimises fn from x0 (unscaled values). fn may return non-finite values away from x0. */
export function minimiseBfgs(fn: (x: Float64Array) => number, x0: Float64Array, options: OptimOptions): OptimResult {
  const n = x0.length;
  const scale = options.parscale;
  const ndeps = options.ndeps ?? 1e-3;
  const maxit = options.maxit ?? 100;
  const reltol = options.reltol ?? Math.sqrt(2.220446049250313e-16);
  const point = new Float64Array(n);
  let evaluations = 0;
  // fn on scaled parameters z (the optimiser's own coordinates).
  const f = (z: Float64Array) => {
    for (let i = 0; i < n; i++) point[i] = z[i] * scale[i];
    evaluations++;
    return fn(point);
  };
  const grad = (z: Float64Array, g: Float64Array) => numericGradient(f, z, g, ndeps);

  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) b[i] = x0[i] / scale[i];
  if (maxit <= 0 || n === 0) {
    return { par: Float64Array.from(x0), value: f(b), convergence: 0, evaluations };
  }
  let fmin = f(b);
  if (!Number.isFinite(fmin)) throw new OptimError("initial value in 'vmmin' is not finite");
  const g = new Float64Array(n);
  const t = new Float64Array(n);
  const X = new Float64Array(n);
  const c = new Float64Array(n);
  const B = new Float64Array(n * n);
  grad(b, g);
  let gradcount = 1;
  let iter = 1;
  let ilast = gradcount;
  let count: number; // every path through the loop body sets it before the loop's test reads it
  do {
    if (ilast === gradcount) {
      B.fill(0);
      for (let i = 0; i < n; i++) B[i * n + i] = 1;
    }
    for (let i = 0; i < n; i++) {
      X[i] = b[i];
      c[i] = g[i];
    }
    let gradproj = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s -= B[i * n + j] * g[j];
      t[i] = s;
      gradproj += s * g[i];
    }
    if (gradproj < 0) {
      let steplength = 1;
      let accpoint = false;
      let value = fmin;
      do {
        count = 0;
        for (let i = 0; i < n; i++) {
          b[i] = X[i] + steplength * t[i];
          if (STEP_TEST + X[i] === STEP_TEST + b[i]) count++;
        }
        if (count < n) {
          value = f(b);
          accpoint = Number.isFinite(value) && value <= fmin + gradproj * steplength * ARMIJO;
          if (!accpoint) steplength *= STEP_REDUCTION;
        }
      } while (!(count === n || accpoint));
      const enough = value > -Infinity && Math.abs(value - fmin) > reltol * (Math.abs(fmin) + reltol);
      if (!enough) {
        count = n;
        fmin = value;
      }
      if (count < n) {
        fmin = value;
        grad(b, g);
        gradcount++;
        iter++;
        let D1 = 0;
        for (let i = 0; i < n; i++) {
          t[i] *= steplength;
          c[i] = g[i] - c[i];
          D1 += t[i] * c[i];
        }
        if (D1 > 0) {
          let D2 = 0;
          for (let i = 0; i < n; i++) {
            let s = 0;
            for (let j = 0; j < n; j++) s += B[i * n + j] * c[j];
            X[i] = s;
            D2 += s * c[i];
          }
          D2 = 1 + D2 / D1;
          for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) B[i * n + j] += (D2 * t[i] * t[j] - X[i] * t[j] - t[i] * X[j]) / D1;
        } else {
          ilast = gradcount;
        }
      } else if (ilast < gradcount) {
        count = 0;
        ilast = gradcount;
      }
    } else {
      count = 0;
      if (ilast === gradcount) count = n;
      else ilast = gradcount;
    }
    if (iter >= maxit) break;
    if (gradcount - ilast > 2 * n) ilast = gradcount;
  } while (count !== n || ilast !== gradcount);
  const par = new Float64Array(n);
  for (let i = 0; i < n; i++) par[i] = b[i] * scale[i];
  return { par, value: fmin, convergence: iter < maxit ? 0 : 1, evaluations };
}

function numericGradient(f: (z: Float64Array) => number, z: Float64Array, g: Float64Array, eps: number): void {
  for (let i = 0; i < z.length; i++) {
    const keep = z[i];
    z[i] = keep + eps;
    const up = f(z);
    z[i] = keep - eps;
    const down = f(z);
    z[i] = keep;
    g[i] = (up - down) / (2 * eps);
    if (!Number.isFinite(g[i])) throw new OptimError(`non-finite finite-difference value [${i + 1}]`);
  }
}

/**
 * The Hessian of fn at x (unscaled, returned row-major n x n) by differences of numerical
 * gradients, symmetrised, as optim(hessian = TRUE) computes it.
 */
export function numericHessian(fn: (x: Float64Array) => number, x: Float64Array, options: OptimOptions): Float64Array {
  const n = x.length;
  const scale = options.parscale;
  const ndeps = options.ndeps ?? 1e-3;
  const point = new Float64Array(n);
  const f = (z: Float64Array) => {
    for (let i = 0; i < n; i++) point[i] = z[i] * scale[i];
    return fn(point);
  };
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) z[i] = x[i] / scale[i];
  const g1 = new Float64Array(n);
  const g2 = new Float64Array(n);
  const H = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const eps = ndeps / scale[i];
    z[i] += eps;
    numericGradient(f, z, g1, ndeps);
    z[i] -= 2 * eps;
    numericGradient(f, z, g2, ndeps);
    for (let j = 0; j < n; j++) H[i * n + j] = (g1[j] - g2[j]) / (2 * eps * scale[i] * scale[j]);
    z[i] += eps;
  }
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (H[i * n + j] + H[j * n + i]);
      H[i * n + j] = v;
      H[j * n + i] = v;
    }
  return H;
}
