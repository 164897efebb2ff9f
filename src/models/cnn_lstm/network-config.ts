// What the configuration says about the network's inputs and outputs: the feature channels
// (model.features: calendar and covariates) and the number of periods predicted at once
// (model.horizon). model.input_size is derived from model.features: 1 (the default) means
// "derive it"; any other value must equal the derived one, so a config written for one feature
// set never silently trains another.
import type { Config } from "../../config/schema.js";
import {
  CalendarEncoder,
  covariatesOf,
  featureChannelNames,
  hasFeatures,
  inputSizeFor,
  type CovariateSource,
  type CovariateStats,
} from "../../data/features.js";
import { featureSpecOf } from "../../data/model-data.js";
import type { Frequency } from "../../data/types.js";
import type { ModelShape } from "../../engine/model.js";
import { normalizationStats, STD_EPSILON } from "./dataset.js";
import { checkModelMemory } from "./model-size.js";

/** 1 + the number of feature channels. */
export function effectiveInputSize(config: Config): number {
  return inputSizeFor(featureSpecOf(config));
}

/** Throws a message saying what to set unless model.input_size agrees with model.features. */
export function checkInputSize(config: Config): void {
  const spec = featureSpecOf(config);
  const derived = inputSizeFor(spec);
  const set = config.model.input_size;
  if (set === 1 || set === derived) return;
  const channels = featureChannelNames(spec);
  throw new Error(
    `model.input_size is ${set}, but the inputs are the sales value` +
      (channels.length ? ` plus ${channels.length} feature channel${channels.length === 1 ? "" : "s"} (${channels.join(", ")}) = ${derived}` : ` alone = 1`) +
      `: model.input_size follows from model.features; set model.input_size=${derived} (or leave it at 1) or change model.features.`,
  );
}

/**
 * The feature encoder for this configuration (undefined when no feature is switched on).
 * A configuration with covariates needs their source (covariateSourceFor).
 */
export function encoderFor(config: Config, frequency: Frequency, covariates?: CovariateSource): CalendarEncoder | undefined {
  const spec = featureSpecOf(config);
  if (!hasFeatures(spec)) return undefined;
  if (covariatesOf(spec).length > 0 && !covariates) throw new Error("model.features.covariates are set but no covariate values were loaded");
  return new CalendarEncoder(spec, frequency, covariates);
}

/**
 * Covariate statistics from the training part only (periods [0, trainEnd)): population mean and
 * std + 1e-6, like the sales. A covariate constant over the training part gets std 1 (it carries
 * nothing there; dividing by 1e-6 would blow later values up).
 */
export function covariateStats(names: readonly string[], values: readonly Float64Array[], trainEnd: number): CovariateStats[] {
  return names.map((name, i) => {
    const { mean, std } = normalizationStats(values[i].subarray(0, trainEnd)); // std already + 1e-6
    return { name, mean, std: std - STD_EPSILON > STD_EPSILON ? std : 1 };
  });
}

/** Refuses network settings salescast cannot train with, before any work starts. */
export function checkTrainingConfig(config: Config): void {
  checkInputSize(config);
  checkModelMemory(config, modelShapeFor(config));
}

/** The trainer's settings from the configuration (everything but callbacks and the abort signal). */
export function trainSettingsFor(config: Config) {
  return {
    maxEpochs: config.train.max_epochs,
    patience: config.train.patience,
    batchSize: config.data.batch_size,
    lr: config.model.lr,
    weightDecay: config.train.weight_decay,
    gradClip: config.train.grad_clip,
    seed: config.train.seed,
  };
}

export function modelShapeFor(config: Config): ModelShape {
  return {
    windowSize: config.data.window_size,
    inputSize: effectiveInputSize(config),
    convChannels: config.model.conv_channels,
    lstmHidden: config.model.lstm_hidden,
    lstmLayers: config.model.lstm_layers,
    outputSize: config.model.horizon,
  };
}
