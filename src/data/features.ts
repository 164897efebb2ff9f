// Calendar features: extra input channels the network reads next to the sales values.
//
// Channels (in this order, each only when switched on in model.features):
//   dow_sin, dow_cos      day of week d (0 = Monday .. 6 = Sunday) as sin/cos(2π·d/7)
//   month_sin, month_cos  month m (0 = January .. 11 = December) as sin/cos(2π·m/12)
//   holiday               1 when the period contains a date of model.features.holidays, else 0
//   cov_<name>            each column of model.features.covariates (promotions, prices, ... known
//                         in advance), z-scored with the training part's mean and std
// Sin/cos pairs rather than one-hot: 4 channels instead of 19, values already in [-1, 1] (no
// normalisation to store), and December sits next to January, Sunday next to Monday.
//
// Alignment (the one rule training and serving share): in a window of T values ending with the
// period p, the feature channels at position k describe the period AFTER value k, i.e.
// p - (T-1) + k + 1. So the last position carries the calendar of the period being forecast:
// the network knows "tomorrow is a Sunday / a holiday" and not only "today was". Every date
// involved is known in advance, so recursive forecasting can compute them for future steps.
//
// Weekly data (frequency W): a period is 7 days from its start date; the day of week is then the
// same for every period (harmless, but it carries nothing) and a period is a holiday when any of
// its 7 days is.
import { epochDayFromIso, isoFromEpochDay, monthOfEpochDay, weekdayOfEpochDay } from "./dates.js";
import { PERIOD_DAYS } from "./calendar.js";
import type { Frequency } from "./types.js";

/** Mean and z-score divisor of one covariate, from the training part only. */
export interface CovariateStats {
  name: string;
  mean: number;
  std: number;
}

/**
 * The covariate values a model reads: raw values per period (looked up by the period's start
 * day) and the training part's statistics to normalise them.
 */
export interface CovariateSource {
  stats: CovariateStats[];
  /** Raw values (one per covariate, in spec order) of the period starting at `day`; undefined when unknown. */
  at(day: number): ArrayLike<number> | undefined;
}

/** What model.features switches on (config form, also stored in model.json extra.features). */
export interface FeatureSpec {
  day_of_week: boolean;
  month: boolean;
  /** ISO dates (YYYY-MM-DD). */
  holidays: string[];
  /** Data columns read as extra channels (values known in advance); absent = none. */
  covariates?: string[];
}

export const NO_FEATURES: FeatureSpec = { day_of_week: false, month: false, holidays: [] };

/** The covariate columns of a spec ([] when none). */
export const covariatesOf = (spec: FeatureSpec): string[] => spec.covariates ?? [];

/** A feature setting a user got wrong (bad date, unknown key in a stored spec). */
export class FeatureSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FeatureSpecError";
  }
}

/** Names of the extra channels, in input order (channel 0, the sales value, not included). */
export function featureChannelNames(spec: FeatureSpec): string[] {
  const names: string[] = [];
  if (spec.day_of_week) names.push("dow_sin", "dow_cos");
  if (spec.month) names.push("month_sin", "month_cos");
  if (spec.holidays.length > 0) names.push("holiday");
  for (const name of covariatesOf(spec)) names.push(`cov_${name}`);
  return names;
}

/** The network's input_size for this spec: the sales value plus one channel per feature. */
export function inputSizeFor(spec: FeatureSpec): number {
  return 1 + featureChannelNames(spec).length;
}

export const hasFeatures = (spec: FeatureSpec | undefined): spec is FeatureSpec => spec !== undefined && featureChannelNames(spec).length > 0;

/** Throws a FeatureSpecError naming the first holiday that is not a real YYYY-MM-DD date. */
export function checkFeatureSpec(spec: FeatureSpec, where = "model.features.holidays"): void {
  spec.holidays.forEach((date, i) => {
    if (typeof date !== "string" || epochDayFromIso(date) === undefined) {
      throw new FeatureSpecError(`${where}[${i}] is ${JSON.stringify(date)}, not a date: write holidays as YYYY-MM-DD, e.g. 2024-12-25`);
    }
  });
}

/** The spec stored with a model (model.json extra.features), checked; undefined when absent. */
export function parseFeatureSpec(value: unknown): FeatureSpec | undefined {
  if (value === undefined || value === null) return undefined;
  const v = value as Partial<FeatureSpec>;
  if (
    typeof value !== "object" ||
    typeof v.day_of_week !== "boolean" ||
    typeof v.month !== "boolean" ||
    !Array.isArray(v.holidays) ||
    (v.covariates !== undefined && !(Array.isArray(v.covariates) && v.covariates.every((name) => typeof name === "string")))
  ) {
    throw new FeatureSpecError(`model.json extra.features is not a feature spec {day_of_week, month, holidays, covariates}: ${JSON.stringify(value)}`);
  }
  const spec: FeatureSpec = { day_of_week: v.day_of_week, month: v.month, holidays: [...v.holidays] };
  if (v.covariates?.length) spec.covariates = [...v.covariates];
  checkFeatureSpec(spec, "model.json extra.features.holidays");
  return spec;
}

/** The covariate statistics stored with a model (extra.covariate_stats), checked against the spec. */
export function parseCovariateStats(value: unknown, spec: FeatureSpec): CovariateStats[] {
  const names = covariatesOf(spec);
  if (names.length === 0) return [];
  const ok =
    Array.isArray(value) &&
    value.length === names.length &&
    value.every(
      (entry, i) =>
        typeof entry === "object" && entry !== null && entry.name === names[i] && Number.isFinite(entry.mean) && Number.isFinite(entry.std) && entry.std > 0,
    );
  if (!ok) throw new FeatureSpecError(`model.json extra.covariate_stats does not give a mean and std for each covariate (${names.join(", ")}): ${JSON.stringify(value)}`);
  return (value as CovariateStats[]).map(({ name, mean, std }) => ({ name, mean, std }));
}

/**
 * Encodes calendar features of periods. Built once per spec (the holiday list becomes a set of
 * epoch days); `channels` is the number of values written per period.
 */
export class CalendarEncoder {
  readonly channels: number;
  private readonly holidayDays: Set<number>;
  private readonly periodDays: number;

  constructor(
    readonly spec: FeatureSpec,
    readonly frequency: Frequency,
    private readonly covariates?: CovariateSource,
  ) {
    checkFeatureSpec(spec);
    const names = covariatesOf(spec);
    if (names.length > 0 && covariates && covariates.stats.map((s) => s.name).join("\u0000") !== names.join("\u0000")) {
      throw new FeatureSpecError(`the covariate values given (${covariates.stats.map((s) => s.name).join(", ")}) are not the model's covariates (${names.join(", ")})`);
    }
    this.channels = featureChannelNames(spec).length;
    this.holidayDays = new Set(spec.holidays.map((date) => epochDayFromIso(date)!));
    this.periodDays = PERIOD_DAYS[frequency];
  }

  /**
   * This encoder, but periods without covariate values get the training mean (channel value 0)
   * instead of an error. Only for forecasts whose later steps are thrown away: interval
   * calibration runs every path to the full horizon although targets past the data are never
   * scored, and a scored step only reads the covariates of periods up to its own target.
   */
  lenient(): CalendarEncoder {
    const source = this.covariates;
    if (!source) return this;
    const means = source.stats.map((s) => s.mean);
    return new CalendarEncoder(this.spec, this.frequency, { stats: source.stats, at: (day) => source.at(day) ?? means });
  }

  /** The start day (epoch day) of the period `offset` periods after the one starting at `day`. */
  shift(day: number, offset: number): number {
    return day + offset * this.periodDays;
  }

  /**
   * Writes the channels of the period starting at epoch day `day` into out[offset],
   * out[offset + stride], ... (stride = T for the [channel, time] layout of one window).
   */
  encode(day: number, out: Float32Array, offset: number, stride: number): void {
    let c = 0;
    const put = (value: number) => {
      out[offset + c * stride] = value;
      c++;
    };
    if (this.spec.day_of_week) {
      const monday0 = (weekdayOfEpochDay(day) + 6) % 7;
      put(Math.sin((2 * Math.PI * monday0) / 7));
      put(Math.cos((2 * Math.PI * monday0) / 7));
    }
    if (this.spec.month) {
      const month = monthOfEpochDay(day);
      put(Math.sin((2 * Math.PI * month) / 12));
      put(Math.cos((2 * Math.PI * month) / 12));
    }
    if (this.spec.holidays.length > 0) {
      let holiday = 0;
      for (let d = 0; d < this.periodDays; d++) if (this.holidayDays.has(day + d)) holiday = 1;
      put(holiday);
    }
    const names = covariatesOf(this.spec);
    if (names.length > 0) {
      const raw = this.covariates?.at(day);
      if (raw === undefined) {
        throw new FeatureSpecError(
          `no covariate values (${names.join(", ")}) for the period starting ${isoFromEpochDay(day)}: ` +
            `covariates must be known for every period a window reads and every period forecast`,
        );
      }
      names.forEach((_, i) => {
        const { mean, std } = this.covariates!.stats[i];
        put((raw[i] - mean) / std);
      });
    }
  }

  /** The channels of one period as a plain array (for tests and docs). */
  values(isoDate: string): number[] {
    const day = epochDayFromIso(isoDate);
    if (day === undefined) throw new FeatureSpecError(`${JSON.stringify(isoDate)} is not a YYYY-MM-DD date`);
    const out = new Float32Array(this.channels);
    this.encode(day, out, 0, 1);
    return Array.from(out);
  }
}

/** A CovariateSource over period-aligned values (index 0 = the period starting `startDate`). */
export function periodCovariateSource(
  stats: CovariateStats[],
  values: readonly Float64Array[] | readonly (readonly number[])[],
  startDate: string,
  frequency: Frequency,
): CovariateSource {
  const first = epochDayFromIso(startDate);
  if (first === undefined) throw new FeatureSpecError(`covariate start ${JSON.stringify(startDate)} is not a YYYY-MM-DD date`);
  const step = PERIOD_DAYS[frequency];
  const length = values.length ? values[0].length : 0;
  return {
    stats,
    at(day) {
      const index = (day - first) / step;
      if (!Number.isInteger(index) || index < 0 || index >= length) return undefined;
      return values.map((column) => column[index]);
    },
  };
}

