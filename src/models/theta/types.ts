/**
 * STM: standard theta (θ = 2; ℓ0 and α fitted). OTM: optimised theta (θ fitted too).
 * DSTM, DOTM: their dynamic versions, where the trend line is refitted every period.
 */
export type ThetaModelType = "STM" | "OTM" | "DSTM" | "DOTM";
export const THETA_MODEL_TYPES: readonly ThetaModelType[] = ["STM", "OTM", "DSTM", "DOTM"];

/** The fitted parameters of the state-space model (state.ts gives its equations). */
export interface ThetaParameters {
  initial_smoothed: number;
  alpha: number;
  theta: number;
}

export interface ThetaOptions {
  /**
   * Periods per season (7 for daily data, 52 for weekly). Default 1: no seasonal adjustment.
   * A fractional period (52.18) is rounded to the nearest whole number of periods, because the
   * classical decomposition averages whole cycles.
   */
  seasonPeriod?: number;
  /** Which model; "auto" (default) fits all four and keeps the lowest in-sample mse, as AutoTheta does. */
  model?: ThetaModelType | "auto";
  /**
   * Whether to seasonally adjust: "test" (default) when the autocorrelation at the seasonal lag
   * is significant at the 90% level (the test of R's thetaf and statsforecast's AutoTheta), or
   * "always" / "never". Needs seasonPeriod ≥ 4 and two full seasons; otherwise no adjustment.
   */
  seasonality?: "test" | "always" | "never";
  /**
   * Classical decomposition type. Default "multiplicative"; it falls back to "additive" when the
   * series has a value ≤ 0 or a seasonal index comes out below 0.01 (as statsforecast does).
   */
  decomposition?: "multiplicative" | "additive";
}

export interface ThetaSeasonality {
  period: number;
  decomposition: "multiplicative" | "additive";
  /** Seasonal index by position: index[t mod period] for period t counted from the series' start. */
  indices: number[];
}

export interface ThetaFit {
  family: "theta";
  /**
   * The model the forecasts come from; "constant" when the fitted series was constant: nothing
   * to fit, the forecast repeats the last value of the history it is given.
   */
  model: ThetaModelType | "constant";
  parameters: ThetaParameters;
  /** In-sample fit of the chosen model on the (seasonally adjusted) series: see runTheta. */
  mse: number;
  /** Every model tried and its mse (the lowest wins). */
  candidates: { model: ThetaModelType; mse: number }[];
  seasonality: ThetaSeasonality | null;
  /** The seasonality test: |r_m| / its standard error, and whether it exceeded 1.645; null when not run. */
  seasonality_test: { statistic: number; seasonal: boolean } | null;
  n: number;
}
