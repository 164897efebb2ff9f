// The global network as a model family, scope "global": one CNN+LSTM (the engine's network, on
// its configured backend) trained on windows from every series at once, with the inputs of
// layout.ts (per-window scaling, a lag-a-year channel, calendar and position-in-the-year
// channels, a one-hot series identity) and H direct outputs, on an L1 or pinball loss
// (model.global_network, src/config/global-network-settings.ts). Like gbdt, the backtest fits it
// once per cutoff and `train --all` once, each category's registry version serving from it.
//
// Early stopping holds out the last holdout_horizons × H periods of each series (or the
// periods from FitContext.holdoutStart): the epoch with the lowest held-out loss is kept, and
// that network is the one stored (refitOnAllData false, as the per-series network).
//
// What a registry version stores (save()):
//   global_network.safetensors   the weights (the engine's checkpoint format)
//   model.json                   state: the network's shape, the input layout, the series this
//                                version serves and its history (serving puts a client's window
//                                in place of its last periods: the lag-a-year channel reads a
//                                year back), the series left out of the fit and why
import type { Config } from "../../config/schema.js";
import { epochDayFromIso } from "../../data/dates.js";
import { decodeWeights, encodeWeights } from "../../engine/checkpoint.js";
import { l1Loss, pinballLoss } from "../../engine/loss.js";
import { CnnLstmModel, validateModelShape, type ModelShape } from "../../engine/model.js";
import { checkModelMemory } from "../cnn_lstm/model-size.js";
import { trainModel } from "../cnn_lstm/trainer.js";
import { ModelInputError } from "../errors.js";
import { historyFromState, historyState, savedState } from "../history.js";
import type { FitContext, FittedModel, Frequency, ModelFamily, SavedModel, SeriesInput } from "../model.js";
import { ModelFileError } from "../model-file-error.js";
import { channelNames, GLOBAL_NETWORK_KIND, parseLayout, type InputLayout } from "./layout.js";
import { globalWindowSets } from "./training-set.js";
import { valueOf, windowWriter, writeWindow, type WindowWriter } from "./windows.js";

export { GLOBAL_NETWORK_KIND };
const FORMAT_VERSION = 1;
export const GLOBAL_NETWORK_WEIGHTS_FILE = "global_network.safetensors";

/** Shortest series the fit uses: one training window (T inputs + H targets) before the held-out periods. */
export function globalNetworkMinHistory(config: Config): number {
  const g = config.model.global_network;
  return g.window_size + (1 + g.holdout_horizons) * g.horizon;
}

function shapeOf(config: Config, layout: InputLayout): ModelShape {
  const g = config.model.global_network;
  return {
    windowSize: layout.window_size,
    inputSize: channelNames(layout).length,
    convChannels: g.conv_channels,
    lstmHidden: g.lstm_hidden,
    lstmLayers: g.lstm_layers,
    outputSize: layout.horizon,
  };
}

/** The weights' bytes, made once per network however many series' versions save it. */
const weightBytes = new WeakMap<CnnLstmModel, Uint8Array>();
function bytesOf(network: CnnLstmModel): Uint8Array {
  let bytes = weightBytes.get(network);
  if (!bytes) weightBytes.set(network, (bytes = encodeWeights(network)));
  return bytes;
}

export class GlobalNetworkModel implements FittedModel {
  readonly kind = GLOBAL_NETWORK_KIND;
  readonly backend: string;
  readonly inputs: { stepSize: number };
  private readonly writer: WindowWriter;

  constructor(
    readonly name: string,
    private readonly network: CnnLstmModel,
    readonly layout: InputLayout,
    /** Series of the fit left out, with the reason. */
    readonly leftOut: Readonly<Record<string, string>>,
    readonly fitStats: Readonly<Record<string, number>>,
    readonly history?: SeriesInput,
  ) {
    const channels = channelNames(layout).length;
    const { windowSize, inputSize, outputSize } = network.shape;
    if (inputSize !== channels || windowSize !== layout.window_size || outputSize !== layout.horizon) {
      throw new ModelFileError(
        `the ${GLOBAL_NETWORK_KIND} network reads ${inputSize} channels × ${windowSize} periods and predicts ${outputSize}, but its input layout describes ` +
          `${channels} × ${layout.window_size} and ${layout.horizon}: the saved model is inconsistent, retrain it`,
      );
    }
    this.writer = windowWriter(layout);
    this.backend = network.backend.name;
    this.inputs = { stepSize: layout.horizon };
  }

  forecast(history: SeriesInput, horizon: number): Float64Array {
    return this.forecastMany([history], horizon)[0];
  }

  /** One engine call per block of H periods for every history together; beyond H, predictions are fed back as values. */
  forecastMany(histories: readonly SeriesInput[], horizon: number): Float64Array[] {
    const { window_size: T, horizon: H } = this.layout;
    const size = this.writer.channels * T;
    const batch = histories.length;
    const starts = histories.map((history) => this.checkHistory(history));
    const buffers = histories.map((history) => {
      const values = new Float64Array(history.values.length + horizon + H);
      values.set(history.values);
      return values;
    });
    const x = new Float32Array(batch * size);
    const scales = new Float64Array(batch);
    for (let produced = 0; produced < horizon; produced += H) {
      histories.forEach((history, b) => {
        scales[b] = writeWindow(this.writer, buffers[b], starts[b], history.values.length + produced, history.name, x, b * size);
      });
      const y = this.network.predict(x, batch);
      histories.forEach((history, b) => {
        for (let j = 0; j < H; j++) buffers[b][history.values.length + produced + j] = valueOf(y[b * H + j], scales[b]);
      });
    }
    return histories.map((history, b) => {
      const out = buffers[b].slice(history.values.length, history.values.length + horizon);
      if (!out.every(Number.isFinite)) {
        throw new ModelInputError(
          `the ${GLOBAL_NETWORK_KIND} model's forecast of "${history.name}" is not finite (the network overflowed on this history)`,
          "check the history for extreme values, or retrain",
        );
      }
      return out;
    });
  }

  forSeries(series: SeriesInput): FittedModel {
    return new GlobalNetworkModel(this.name, this.network, this.layout, this.leftOut, this.fitStats, series);
  }

  save(): SavedModel {
    return {
      kind: GLOBAL_NETWORK_KIND,
      format_version: FORMAT_VERSION,
      state: {
        name: this.name,
        shape: { ...this.network.shape },
        layout: this.layout,
        series: this.history?.name ?? null,
        history: this.history ? historyState(this.history) : null,
        left_out: this.leftOut,
        fit_stats: this.fitStats,
        weights_file: GLOBAL_NETWORK_WEIGHTS_FILE,
      },
      files: { [GLOBAL_NETWORK_WEIGHTS_FILE]: bytesOf(this.network) },
    };
  }

  describe(): string {
    const { convChannels, lstmHidden, lstmLayers } = this.network.shape;
    const { window_size: T, horizon: H, series, yearly_harmonics: K, calendar } = this.layout;
    const inputs = ["value", "lag a year"];
    if (calendar.day_of_week) inputs.push("day of week");
    if (calendar.holidays.length) inputs.push("holidays");
    if (K > 0) inputs.push(`position in the year (${K})`);
    inputs.push(series.length ? `identity of ${series.length} series` : "no identity");
    const left = Object.keys(this.leftOut).length;
    return (
      `global CNN+LSTM: window ${T}, conv ${convChannels}, LSTM ${lstmHidden}×${lstmLayers}, ${H} periods at once; inputs ${inputs.join(", ")}; ` +
      `trained on ${this.fitStats.training_series} series${left ? ` (${left} left out: too short)` : ""}`
    );
  }

  /** The epoch day of the history's first period; refuses a history the network cannot read. */
  private checkHistory(history: SeriesInput): number {
    const T = this.layout.window_size;
    if (history.frequency !== this.layout.frequency) {
      throw new ModelInputError(
        `the ${GLOBAL_NETWORK_KIND} model was trained on ${this.layout.frequency === "D" ? "daily" : "weekly"} series, but "${history.name}" is ${history.frequency === "D" ? "daily" : "weekly"}`,
        "forecast series of the frequency it was trained on, or train one on this data",
      );
    }
    if (history.values.length < T) {
      throw new ModelInputError(
        `a ${GLOBAL_NETWORK_KIND} forecast reads the last ${T} periods, but "${history.name}" has ${history.values.length}`,
        "forecast from a longer history",
      );
    }
    const day = epochDayFromIso(history.start);
    if (day === undefined) throw new ModelInputError(`the series "${history.name}" starts at ${JSON.stringify(history.start)}, not a YYYY-MM-DD date`);
    return day;
  }
}

/** Why a series cannot be fitted (undefined: it can). */
function refusal(series: SeriesInput, config: Config): string | undefined {
  const needed = globalNetworkMinHistory(config);
  if (series.values.length < needed) {
    const g = config.model.global_network;
    return (
      `category "${series.name}" has ${series.values.length} periods, but the ${GLOBAL_NETWORK_KIND} model needs at least ${needed} ` +
      `(window_size ${g.window_size} + horizon ${g.horizon} for one training window, and ${g.holdout_horizons} × ${g.horizon} held out for early stopping)`
    );
  }
  const bad = series.values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) return `category "${series.name}" has the value ${series.values[bad]} at period ${bad}; fill gaps before fitting`;
  return undefined;
}

const SHORT_HINT = "use longer series, or smaller model.global_network.window_size, horizon or holdout_horizons";

async function fitGlobalNetwork(series: readonly SeriesInput[], context: FitContext): Promise<GlobalNetworkModel> {
  const { config } = context;
  const g = config.model.global_network;
  if (series.length === 0) throw new ModelInputError(`the ${GLOBAL_NETWORK_KIND} model was given no series to fit`, "give at least one series");
  const frequency: Frequency = series[0].frequency;
  const other = series.find((s) => s.frequency !== frequency);
  if (other)
    throw new ModelInputError(
      `the ${GLOBAL_NETWORK_KIND} model fits series of one frequency: "${series[0].name}" and "${other.name}" differ`,
      "fit one model per frequency",
    );
  const names = new Set<string>();
  const usable: SeriesInput[] = [];
  const leftOut: Record<string, string> = {};
  for (const s of series) {
    if (names.has(s.name))
      throw new ModelInputError(`the ${GLOBAL_NETWORK_KIND} model was given two series named "${s.name}"`, "give each series a unique name");
    names.add(s.name);
    if (epochDayFromIso(s.start) === undefined) throw new ModelInputError(`the series "${s.name}" starts at ${JSON.stringify(s.start)}, not a YYYY-MM-DD date`);
    const why = refusal(s, config);
    if (why) leftOut[s.name] = why;
    else usable.push(s);
  }
  if (usable.length === 0) throw new ModelInputError(`no series can be fitted by the ${GLOBAL_NETWORK_KIND} model: ${Object.values(leftOut)[0]}`, SHORT_HINT);

  const layout: InputLayout = {
    frequency,
    window_size: g.window_size,
    horizon: g.horizon,
    yearly_harmonics: g.yearly_harmonics,
    calendar: { day_of_week: frequency === "D", month: false, holidays: [...config.model.features.holidays] },
    series: g.series_identity === "one_hot" && usable.length <= g.max_identity_series ? usable.map((s) => s.name) : [],
  };
  const shape = shapeOf(config, layout);
  checkModelMemory({ ...config, data: { ...config.data, batch_size: g.batch_size } }, shape);
  const writer = windowWriter(layout);
  const held = (s: SeriesInput) => context.holdoutStart ?? s.values.length - g.holdout_horizons * g.horizon;
  const sets = globalWindowSets(writer, usable, held, g.max_windows);
  if (sets.train.count === 0) throw new ModelInputError(`the ${GLOBAL_NETWORK_KIND} model has no training window before the held-out periods`, SHORT_HINT);
  const network = new CnnLstmModel(shape, config.train.seed);
  const outcome = await trainModel(network, sets.train, sets.validation.count > 0 ? sets.validation : sets.train, {
    maxEpochs: g.max_epochs,
    patience: g.patience,
    batchSize: g.batch_size,
    lr: g.lr,
    weightDecay: config.train.weight_decay,
    gradClip: config.train.grad_clip,
    seed: config.train.seed,
    loss: g.loss === "l1" ? l1Loss : pinballLoss(g.quantile),
    signal: context.signal,
    onBatch: (report) => context.onProgress?.({ kind: "batch", maxEpochs: g.max_epochs, ...report }),
    onEpoch: (report) => context.onProgress?.({ kind: "epoch", maxEpochs: g.max_epochs, ...report }),
  });
  const fitStats = {
    epochs: outcome.epochs,
    best_epoch: outcome.bestEpoch,
    best_val_loss: outcome.bestValLoss,
    training_series: usable.length,
    training_windows: sets.train.count,
  };
  return new GlobalNetworkModel(context.name ?? GLOBAL_NETWORK_KIND, network, layout, leftOut, fitStats, series.length === 1 ? usable[0] : undefined);
}

function parseShape(value: unknown): ModelShape {
  try {
    return validateModelShape(value as ModelShape);
  } catch (error) {
    throw new ModelFileError(`the saved ${GLOBAL_NETWORK_KIND} model's shape is damaged (${(error as Error).message}): retrain it`);
  }
}

function parseRecord(value: unknown, what: string): Record<string, number> | Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new ModelFileError(`the saved ${GLOBAL_NETWORK_KIND} model's ${what} is damaged: retrain it`);
  return value as Record<string, number>;
}

export const globalNetworkFamily: ModelFamily = {
  kind: GLOBAL_NETWORK_KIND,
  label: "global network",
  shortLabel: "g.network",
  scope: "global",
  // One network per cutoff on every series takes minutes on two cores: opt-in (model.auto.candidates), see docs/models.md.
  defaultCandidate: false,
  refitOnAllData: false,
  minHistory: (config) => globalNetworkMinHistory(config),
  checkSeries(series, config, split) {
    const needed = globalNetworkMinHistory(config);
    if (split.trainEnd < needed) {
      const g = config.model.global_network;
      throw new ModelInputError(
        `category "${series.name}": the training part has ${Math.max(split.trainEnd, 0)} periods of ${split.length}, but the ${GLOBAL_NETWORK_KIND} model needs at least ${needed} ` +
          `(window_size ${g.window_size} + horizon ${g.horizon} for one training window, and ${g.holdout_horizons} × ${g.horizon} held out for early stopping)`,
        `${SHORT_HINT}, or smaller data.val_fraction/data.test_fraction (now ${config.data.val_fraction}/${config.data.test_fraction})`,
      );
    }
  },
  fit: fitGlobalNetwork,
  load(saved, options = {}) {
    const state = savedState(saved, FORMAT_VERSION);
    const layout = parseLayout(state.layout);
    const shape = parseShape(state.shape);
    const bytes = saved.files?.[GLOBAL_NETWORK_WEIGHTS_FILE];
    if (!bytes)
      throw new ModelFileError(`${GLOBAL_NETWORK_WEIGHTS_FILE}: file not found (model.json is present, the weights are missing); retrain or restore the file`);
    const network = decodeWeights(bytes, GLOBAL_NETWORK_WEIGHTS_FILE, shape, options.backend);
    const name = typeof state.name === "string" && state.name !== "" ? state.name : GLOBAL_NETWORK_KIND;
    const history = state.history === null || state.history === undefined ? undefined : historyFromState(state.history, GLOBAL_NETWORK_KIND);
    return new GlobalNetworkModel(
      name,
      network,
      layout,
      parseRecord(state.left_out ?? {}, "list of left-out series") as Record<string, string>,
      parseRecord(state.fit_stats ?? {}, "fit statistics") as Record<string, number>,
      history,
    );
  },
};
