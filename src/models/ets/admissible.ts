// Which smoothing parameters a fit may use. R's default bounds = "both" asks for both:
// the "usual" box (0 < β ≤ α < 1, 0 < γ < 1 − α, 0.8 ≤ φ ≤ 0.98) and the "admissible" region of
// Hyndman et al. (2008, ch. 10), where the model forgets its initial states (the roots of its
// characteristic polynomial lie inside the unit circle).

/** R's defaults: lower/upper for alpha, beta, gamma, phi. */
export const USUAL_LOWER = { alpha: 1e-4, beta: 1e-4, gamma: 1e-4, phi: 0.8 } as const;
export const USUAL_UPPER = { alpha: 0.9999, beta: 0.9999, gamma: 0.9999, phi: 0.98 } as const;

/** Workspace for the root test of a polynomial of degree m + 1: its coefficients and a copy. */
export function admissibleWorkspace(m: number): Float64Array {
  return new Float64Array(2 * (m + 2));
}

/**
 * True when every root of the polynomial coef[0] + coef[1]·z + … + coef[d]·z^d (real
 * coefficients, coef[d] ≠ 0) has modulus below `radius`. The Schur–Cohn test: scale z by the
 * radius, then repeatedly require |leading| > |constant| and replace p by
 * (a_d·p(z) − a_0·z^d·p(1/z)) / z, which keeps the roots inside the circle iff p had them there.
 * No roots are computed. work holds the coefficients in [0, degree] (overwritten) and scratch
 * room in [degree + 1, 2·degree + 2).
 */
export function rootsInsideCircle(work: Float64Array, degree: number, radius: number): boolean {
  const coef = work;
  const copy = degree + 1;
  let scale = 1;
  for (let k = 0; k <= degree; k++) {
    coef[k] *= scale;
    scale *= radius;
  }
  for (let d = degree; d >= 1; d--) {
    const lead = coef[d];
    const constant = coef[0];
    if (!(Math.abs(lead) > Math.abs(constant))) return false;
    for (let k = 0; k <= d; k++) work[copy + k] = coef[k];
    for (let k = 0; k < d; k++) coef[k] = lead * work[copy + k + 1] - constant * work[copy + d - 1 - k];
    // renormalise so the coefficients neither overflow nor vanish over many steps
    let big = 0;
    for (let k = 0; k < d; k++) big = Math.max(big, Math.abs(coef[k]));
    if (big === 0 || !Number.isFinite(big)) return false;
    for (let k = 0; k < d; k++) coef[k] /= big;
  }
  return true;
}

/**
 * R's check.param for bounds = "both". Non-seasonal models: α, β inside the box and the
 * admissible region of a damped Holt model; seasonal models: γ as well, and the roots of
 *   z^{m+1} + (α+β−φ)z^m + (α+β−αφ)(z^{m−1} + … + z^2) + (α+β−αφ+γ−1)z + φ(1−α−γ)
 * inside the unit circle (R allows a modulus up to 1 + 1e-10).
 * hasTrend, damped, seasonal say which parameters exist; phi must be 1 when not damped.
 */
export function parametersAllowed(
  alpha: number,
  beta: number,
  gamma: number,
  phi: number,
  hasTrend: boolean,
  damped: boolean,
  seasonal: boolean,
  m: number,
  work: Float64Array,
): boolean {
  // usual
  if (alpha < USUAL_LOWER.alpha || alpha > USUAL_UPPER.alpha) return false;
  if (hasTrend && (beta < USUAL_LOWER.beta || beta > alpha || beta > USUAL_UPPER.beta)) return false;
  if (damped && (phi < USUAL_LOWER.phi || phi > USUAL_UPPER.phi)) return false;
  if (seasonal && (gamma < USUAL_LOWER.gamma || gamma > 1 - alpha || gamma > USUAL_UPPER.gamma)) return false;
  // admissible
  if (phi < 0 || phi > 1 + 1e-8) return false;
  if (!seasonal) {
    if (alpha < 1 - 1 / phi || alpha > 1 + 1 / phi) return false;
    if (hasTrend && (beta < alpha * (phi - 1) || beta > (1 + phi) * (2 - alpha))) return false;
    return true;
  }
  if (m <= 1) return true;
  const b = hasTrend ? beta : 0;
  if (gamma < Math.max(1 - 1 / phi - alpha, 0) || gamma > 1 + 1 / phi - alpha) return false;
  if (alpha < 1 - 1 / phi - (gamma * (1 - m + phi + phi * m)) / (2 * phi * m)) return false;
  if (b < -(1 - phi) * (gamma / m + alpha)) return false;
  // coefficients, constant term first
  work[0] = phi * (1 - alpha - gamma);
  work[1] = alpha + b - alpha * phi + gamma - 1;
  for (let k = 2; k < m; k++) work[k] = alpha + b - alpha * phi;
  work[m] = alpha + b - phi;
  work[m + 1] = 1;
  return rootsInsideCircle(work, m + 1, 1 + 1e-10);
}
