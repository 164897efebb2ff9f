// Which features a fit uses: the options' (or the frequency's defaults), the yearly lag where
// the history allows it, the covariates every series carries; and, for the direct strategy,
// the features of each step's model (only what is known k periods ahead).
import type { ModelFeatures } from "./feature-rows.js";
import { FEATURE_DEFAULTS, type ResolvedOptions } from "./options.js";
import type { GbdtFeatureSpec, GbdtSeries, GbdtStrategy, RollingFeature } from "./types.js";

export function buildFeatureSpec(series: readonly GbdtSeries[], o: ResolvedOptions): GbdtFeatureSpec {
  const frequency = series[0].frequency;
  const defaults = FEATURE_DEFAULTS[frequency];
  const lags = [...(o.lags ?? defaults.lags)];
  const dropped: GbdtFeatureSpec["dropped"] = [];
  const yearly = o.yearlyLag === undefined ? defaults.yearlyLag : o.yearlyLag;
  if (yearly !== null && !lags.includes(yearly)) {
    // A year of rows that know the yearly lag, in at least one series, before the trees may rely on it.
    const longest = Math.max(...series.map((s) => s.values.length));
    if (longest >= 2 * yearly) lags.push(yearly);
    else dropped.push({ feature: `lag${yearly}`, reason: `the longest series has ${longest} periods, fewer than ${2 * yearly} (two years)` });
  }
  lags.sort((a, b) => a - b);
  const everyone = Object.keys(series[0].covariates ?? {}).filter((name) => series.every((s) => s.covariates?.[name] !== undefined));
  return {
    frequency,
    lags,
    rolling: (o.rolling ?? defaults.rolling).map((r) => ({ ...r })),
    calendar: [...(o.calendar ?? defaults.calendar)],
    series_code: o.seriesCode,
    series_scale: o.seriesScale,
    covariates: o.covariates ?? everyone.sort(),
    dropped,
  };
}

/**
 * The features of one model. Recursive (step null): the spec's. Direct, step k: the lags ≥ k
 * and lag k itself (the latest period known at the cutoff), and each window moved to end at
 * lag max(its lag, k); so no value after the cutoff is read, and the yearly lag keeps its
 * alignment with the target period.
 */
export function stepFeatures(spec: GbdtFeatureSpec, strategy: GbdtStrategy, step: number | null): { lags: number[]; rolling: RollingFeature[] } {
  if (strategy === "recursive" || step === null) return { lags: [...spec.lags], rolling: spec.rolling.map((r) => ({ ...r })) };
  const lags = [...new Set([step, ...spec.lags.filter((l) => l >= step)])].sort((a, b) => a - b);
  const seen = new Set<string>();
  const rolling: RollingFeature[] = [];
  for (const r of spec.rolling) {
    const moved = { ...r, lag: Math.max(r.lag, step) };
    const key = `${moved.stat}/${moved.window}/${moved.lag}`;
    if (!seen.has(key)) rolling.push(moved);
    seen.add(key);
  }
  return { lags, rolling };
}

export function modelFeatures(spec: GbdtFeatureSpec, lagsAndWindows: { lags: number[]; rolling: RollingFeature[] }): ModelFeatures {
  return {
    lags: lagsAndWindows.lags,
    rolling: lagsAndWindows.rolling,
    calendar: spec.calendar,
    seriesCode: spec.series_code,
    seriesScale: spec.series_scale,
    covariates: spec.covariates,
  };
}
