// AutoTheta (this folder's library) as a model kind: the theta model with the lowest in-sample
// error (model.theta.model chooses one instead), seasonally adjusted by the data's season (7
// daily, 52 weekly) when the autocorrelation test says so; multiplicative adjustment falls back
// to additive for series with a value ≤ 0, so zero and negative data fit too.
import { isNumberArray, localLibraryFamily } from "../local-family.js";
import { seasonLength } from "../metrics.js";
import { fitTheta, forecastTheta, THETA_MIN_LENGTH, THETA_MODEL_TYPES, type ThetaFit } from "./index.js";

const round = (x: number) => Number(x.toPrecision(3));

export function describeTheta(fit: ThetaFit): string {
  if (fit.model === "constant") return "Theta: constant series (the last value repeated)";
  const { alpha, theta } = fit.parameters;
  const season = fit.seasonality ? `, ${fit.seasonality.decomposition} season ${fit.seasonality.period}` : ", no season";
  return `Theta ${fit.model}: α ${round(alpha)}, θ ${round(theta)}${season}`;
}

export const thetaFamily = localLibraryFamily<ThetaFit>({
  kind: "theta",
  label: "Theta model",
  formatVersion: 1,
  minHistory: () => THETA_MIN_LENGTH,
  fit: (values, config, frequency) => fitTheta(values, { seasonPeriod: seasonLength(frequency), model: config.model.theta.model }),
  forecast: forecastTheta,
  describe: describeTheta,
  fitStats: (fit) => ({ in_sample_mse: fit.mse }),
  parseFit(value, damaged) {
    const fit = value as Partial<ThetaFit>;
    const p = fit.parameters;
    if (fit.family !== "theta" || !(fit.model === "constant" || THETA_MODEL_TYPES.includes(fit.model as never))) throw damaged("family, model");
    if (!p || !isNumberArray([p.initial_smoothed, p.alpha, p.theta])) throw damaged("parameters");
    const s = fit.seasonality;
    if (s !== null && (typeof s !== "object" || !Number.isInteger(s?.period) || !isNumberArray(s.indices) || s.indices.length !== s.period))
      throw damaged("seasonal indices");
    return fit as ThetaFit;
  },
});
