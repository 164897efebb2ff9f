// The trained CNN+LSTM as a fitted model: it reads the last window_size values of any history
// (normalised with its training part's statistics), the calendar features of their dates and
// the covariates of their periods, and forecasts the next periods directly (model.horizon at a
// time) and block-recursively beyond (paths.ts). Training, the backtest and serving all
// forecast through here, so the residuals behind the intervals are those of served forecasts.
import { epochDayFromIso } from "../../data/dates.js";
import {
  CalendarEncoder,
  covariatesOf,
  featureChannelNames,
  hasFeatures,
  periodCovariateSource,
  type CovariateStats,
  type FeatureSpec,
} from "../../data/features.js";
import type { NormalizationStats, WindowLayout } from "../../data/windows.js";
import { checkpointModelFields, encodeWeights, WEIGHTS_FILE } from "../../engine/checkpoint.js";
import type { CnnLstmModel } from "../../engine/model.js";
import { ModelInputError } from "../errors.js";
import type { FittedModel, ForecastInputs, Frequency, SavedModel, SeriesInput } from "../model.js";
import { forecastNormalisedPaths, type NormalisedPredict } from "./paths.js";

export const NETWORK_KIND = "cnn_lstm";
/** The state format this salescast writes (0 is model.json before model kinds: see saved.ts). */
export const NETWORK_FORMAT_VERSION = 1;
/** Windows per engine call when many histories are forecast (memory stays bounded). */
const BATCH = 256;

/** What a trained network is, beside its weights. */
export interface NetworkParts {
  network: CnnLstmModel;
  stats: NormalizationStats;
  /** Calendar features and covariates it reads (model.features at training); undefined: the sales value alone. */
  features?: FeatureSpec;
  /** Training-part statistics of the covariates ([] without covariates). */
  covariateStats: CovariateStats[];
  frequency: Frequency;
}

export class NetworkModel implements FittedModel {
  readonly kind = NETWORK_KIND;
  readonly inputs: ForecastInputs;
  private readonly layout: WindowLayout;
  private readonly covariates: string[];
  private readonly predict: NormalisedPredict;
  readonly backend: string;

  constructor(
    readonly name: string,
    private readonly parts: NetworkParts,
    options: { fitStats?: Record<string, number> } = {},
  ) {
    const { network, stats, features, frequency } = parts;
    const { windowSize, inputSize, outputSize } = network.shape;
    const encoder = hasFeatures(features) ? new CalendarEncoder(features, frequency) : undefined;
    const expected = 1 + (encoder?.channels ?? 0);
    if (inputSize !== expected) {
      const channels = features ? featureChannelNames(features) : [];
      throw new ModelInputError(
        `the network reads ${inputSize} input channels, but its model.json describes ${expected} ` +
          `(the sales value${channels.length ? ` + ${channels.join(", ")}` : ""}); the checkpoint is inconsistent: retrain the category`,
      );
    }
    this.layout = { windowSize, inputSize, outputSize, stats, encoder };
    this.covariates = features ? covariatesOf(features) : [];
    this.predict = (x, batch) => network.predict(x, batch);
    this.backend = network.backend.name;
    this.fitStats = options.fitStats;
    this.inputs = {
      ...(encoder ? { features } : {}),
      ...(this.covariates.length ? { covariateStats: parts.covariateStats } : {}),
      scale: { mean: stats.mean, std: stats.std },
      stepSize: outputSize,
    };
  }

  readonly fitStats?: Readonly<Record<string, number>>;

  /** The network itself (the engine's model), for exports that need its weights. */
  get network(): CnnLstmModel {
    return this.parts.network;
  }

  forecast(history: SeriesInput, horizon: number): Float64Array {
    return this.forecastMany([history], horizon)[0];
  }

  /**
   * One engine call per step for every history together. Histories sharing their start date and
   * covariates (the prefixes of one series: evaluation, intervals) share one covariate source.
   */
  forecastMany(histories: readonly SeriesInput[], horizon: number): Float64Array[] {
    const out: Float64Array[] = [];
    let from = 0;
    while (from < histories.length) {
      let to = from + 1;
      while (to < histories.length && to - from < BATCH && sameSource(histories[from], histories[to])) to++;
      out.push(...this.forecastGroup(histories.slice(from, to), horizon));
      from = to;
    }
    return out;
  }

  save(): SavedModel {
    const { network, stats, features, covariateStats } = this.parts;
    const weights = encodeWeights(network);
    return {
      kind: NETWORK_KIND,
      format_version: NETWORK_FORMAT_VERSION,
      state: {
        shape: { ...network.shape },
        normalization: { mean: stats.mean, std: stats.std },
        frequency: this.parts.frequency,
        ...(hasFeatures(features) ? { features } : {}),
        ...(covariateStats.length ? { covariate_stats: covariateStats } : {}),
      },
      files: { [WEIGHTS_FILE]: weights },
      topLevel: checkpointModelFields(network, stats, weights),
    };
  }

  describe(): string {
    const { windowSize, convChannels, lstmHidden, lstmLayers, outputSize } = this.parts.network.shape;
    const channels = this.parts.features ? featureChannelNames(this.parts.features) : [];
    return (
      `CNN+LSTM: window ${windowSize}, conv ${convChannels}, LSTM ${lstmHidden}×${lstmLayers}` +
      (outputSize > 1 ? `, ${outputSize} periods at once` : "") +
      (channels.length ? `, inputs sales + ${channels.join(", ")}` : "")
    );
  }

  /** Histories of one group: one encoder, one engine call per step. */
  private forecastGroup(histories: readonly SeriesInput[], horizon: number): Float64Array[] {
    const { windowSize: T, stats } = this.layout;
    const batch = histories.length;
    const z = new Float32Array(batch * T);
    histories.forEach((history, b) => {
      const { values } = history;
      if (values.length < T) {
        throw new ModelInputError(`the network reads the last ${T} periods, but the history has ${values.length}`, "forecast from a longer history");
      }
      for (let k = 0; k < T; k++) z[b * T + k] = (values[values.length - T + k] - stats.mean) / stats.std;
    });
    const layout = this.layoutFor(histories[0]);
    const days = layout.encoder ? histories.map((history) => lastDayOf(history, layout.encoder!)) : undefined;
    const paths = forecastNormalisedPaths(this.predict, layout, z, days, batch, horizon);
    return histories.map((_, b) => Float64Array.from(paths.subarray(b * horizon, (b + 1) * horizon), (value) => value * stats.std + stats.mean));
  }

  /** The layout with an encoder reading this history's covariates (they are indexed from its start date). */
  private layoutFor(history: SeriesInput): WindowLayout {
    if (this.covariates.length === 0) return this.layout;
    const missing = this.covariates.filter((name) => history.covariates?.[name] === undefined);
    if (missing.length) {
      throw new ModelInputError(
        `model.features.covariates (${this.covariates.join(", ")}) are set, but the series "${history.name}" came with no values for them (${missing.join(", ")})`,
        "load the covariate columns with the series (they are known in advance for every period forecast)",
      );
    }
    const values = this.covariates.map((name) => history.covariates![name]);
    const source = periodCovariateSource(this.parts.covariateStats, values, history.start, history.frequency);
    return { ...this.layout, encoder: new CalendarEncoder(this.parts.features!, this.parts.frequency, source) };
  }
}

/** The epoch day starting the period of the history's last value. */
function lastDayOf(history: SeriesInput, encoder: CalendarEncoder): number {
  const start = epochDayFromIso(history.start);
  if (start === undefined) throw new ModelInputError(`the series "${history.name}" starts at ${JSON.stringify(history.start)}, not a YYYY-MM-DD date`);
  return encoder.shift(start, history.values.length - 1);
}

function sameSource(a: SeriesInput, b: SeriesInput): boolean {
  return a.start === b.start && a.covariates === b.covariates && a.frequency === b.frequency;
}
