/**
 * The conditional sum of squares of an ARMA model over a differenced series (R's ARIMA_CSS):
 * residuals e_t = w_t - sum phi_j w_{t-j} - sum theta_j e_{t-j} from t = ncond on, with the
 * residuals before ncond taken as zero, ncond = p + s P (the AR lags that need history).
 * Cheap (O(n) per non-zero coefficient), so the search over many models on long series uses
 * it (`approximation`), and the exact fits start from its estimates.
 */

export class CssFilter {
  private readonly resid: Float64Array;
  private readonly phiIndex: Int32Array;
  private readonly thetaIndex: Int32Array;

  /** n: length of the differenced series; p, q: lengths of the expanded polynomials. */
  constructor(
    readonly n: number,
    readonly p: number,
    readonly q: number,
  ) {
    this.resid = new Float64Array(n);
    this.phiIndex = new Int32Array(p);
    this.thetaIndex = new Int32Array(q);
  }

  /**
   * Mean squared conditional residual, ssq / nu, of w under (phi, theta); NaN or Infinity when
   * the recursion blows up (an explosive MA part). `ncond` is the first residual computed;
   * when `residuals` is given it receives the residuals (zero before ncond).
   */
  meanSquare(w: ArrayLike<number>, phi: Float64Array, theta: Float64Array, ncond: number, residuals?: Float64Array): number {
    const { n, p, q, resid } = this;
    let nPhi = 0;
    for (let j = 0; j < p; j++) if (phi[j] !== 0) this.phiIndex[nPhi++] = j;
    let nTheta = 0;
    for (let j = 0; j < q; j++) if (theta[j] !== 0) this.thetaIndex[nTheta++] = j;
    const phiIndex = this.phiIndex;
    const thetaIndex = this.thetaIndex;
    resid.fill(0, 0, Math.min(ncond, n));
    let ssq = 0;
    let nu = 0;
    for (let t = ncond; t < n; t++) {
      let v = w[t];
      for (let k = 0; k < nPhi; k++) {
        const j = phiIndex[k];
        v -= phi[j] * w[t - j - 1];
      }
      // Only residuals from ncond on exist: lags reaching before it count as zero.
      const reach = t - ncond;
      for (let k = 0; k < nTheta; k++) {
        const j = thetaIndex[k];
        if (j >= reach) break;
        v -= theta[j] * resid[t - j - 1];
      }
      resid[t] = v;
      if (!Number.isNaN(v)) {
        nu++;
        ssq += v * v;
      }
    }
    if (residuals) residuals.set(resid);
    return ssq / nu;
  }
}
