/**
 * The shapes of the ARIMA library: a model's orders, its fitted parameters and statistics
 * (plain JSON data, so a registry can store a fit as it is), and the options of the search.
 */

/** ARIMA(p,d,q)(P,D,Q)[period]; `period` is 1 for a non-seasonal model (then P = D = Q = 0). */
export interface ArimaOrder {
  p: number;
  d: number;
  q: number;
  P: number;
  D: number;
  Q: number;
  period: number;
}

/**
 * An order plus the constant, which is what R's forecast::Arima calls `include.constant`:
 * with no differencing (d + D = 0) an intercept (the series' mean), with one difference
 * (d + D = 1) a drift (a linear trend in time), and never with two or more differences.
 */
export interface ArimaSpec extends ArimaOrder {
  constant: boolean;
}

/**
 * Coefficients in R's order and sign convention: y_t = mean + u_t with
 * (1 - ar_1 B - ...)(1 - sar_1 B^m - ...) (1-B)^d (1-B^m)^D u_t = (1 + ma_1 B + ...)(1 + sma_1 B^m + ...) e_t.
 * `intercept` is set when the model has a constant and d + D = 0, `drift` (per period) when
 * d + D = 1; null otherwise.
 */
export interface ArimaCoefficients {
  ar: number[];
  ma: number[];
  sar: number[];
  sma: number[];
  intercept: number | null;
  drift: number | null;
}

/** How the parameters were estimated (R's `method`). */
export type ArimaMethod = "CSS-ML" | "ML" | "CSS";

/** A fitted model: everything forecastArima needs, and the statistics R reports. */
export interface ArimaFit {
  family: "arima";
  spec: ArimaSpec;
  coef: ArimaCoefficients;
  /** Innovation variance as forecast::Arima reports it: sum of squared residuals / (n* - k + 1). */
  sigma2: number;
  /** Exact Gaussian log-likelihood (null for a CSS fit, or a constant series). */
  loglik: number | null;
  aic: number | null;
  aicc: number | null;
  bic: number | null;
  /** Observations used by the likelihood: n - d - D * period. */
  nobs: number;
  method: ArimaMethod;
  /** True when the series was constant: the model forecasts that constant (as R's auto.arima). */
  constantSeries: boolean;
  /** How the model was chosen: the unit-root statistics and the models the search tried. */
  search: ArimaSearchTrace | null;
}

/** What auto.arima saw on the way to its choice (for logs, leaderboards and tests). */
export interface ArimaSearchTrace {
  /** KPSS statistic of each series ndiffs tested (level, lag trunc(3 sqrt(n) / 13)). */
  kpssStatistics: number[];
  /** Seasonal strength of each series nsdiffs tested (null when D was not tested). */
  seasonalStrength: number[];
  /** True when the search compared models by the CSS approximation (long or long-period series). */
  approximation: boolean;
  /** Every model the search fitted, with its criterion (null when the fit failed). */
  tried: { spec: ArimaSpec; ic: number | null }[];
}

/** The options of fitArima; every field has the default of R's forecast::auto.arima. */
export interface ArimaOptions {
  /** Seasonal period (7 for daily data, 52 for weekly); fractional periods are rounded; 1 = none. */
  period: number;
  /**
   * A fixed model instead of the search: orders and constant. With `fixed` coefficients as
   * well, nothing is estimated (the likelihood is evaluated at them, as R's `fixed =`).
   */
  spec?: ArimaSpec;
  /** Coefficients to hold fixed with `spec` (all of them; R's `fixed`). */
  fixed?: ArimaCoefficients;
  /** Estimation method for a fixed `spec` (default "CSS-ML"; the search picks its own). */
  method?: ArimaMethod;
  /** Non-seasonal differences; null (default) lets the KPSS test choose, up to maxD. */
  d?: number | null;
  /** Seasonal differences; null (default) lets the seasonal-strength test choose, up to maxSeasonalD. */
  D?: number | null;
  /** Largest orders the search may reach (R: 5, 5, 2, 2, and p + q + P + Q <= 5). */
  maxP?: number;
  maxQ?: number;
  maxSeasonalP?: number;
  maxSeasonalQ?: number;
  /** p + q + P + Q bound of R's exhaustive search; R's stepwise search (used here) does not apply it. */
  maxOrder?: number;
  maxD?: number;
  maxSeasonalD?: number;
  /** Information criterion the search minimises (default "aicc"). */
  ic?: "aicc" | "aic" | "bic";
  /**
   * Compare models by the conditional-sum-of-squares approximation and refit the best by exact
   * likelihood; default as R: when the series is longer than 150 or the period above 12.
   */
  approximation?: boolean;
  /** Allow a drift term when d + D = 1 (default true) and a mean when d + D = 0 (default true). */
  allowDrift?: boolean;
  allowMean?: boolean;
  /** Most models the stepwise search fits (default 94, as R). */
  maxModels?: number;
  /** Significance level of the KPSS test deciding d (default 0.05). */
  alpha?: number;
  /** Seasonal strength above which one seasonal difference is taken (default 0.64, R's "seas"). */
  seasonalStrengthThreshold?: number;
}
