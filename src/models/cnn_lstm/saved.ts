// What a saved network holds, read back: the state this salescast writes (format 1: shape,
// normalisation, features, covariate statistics) and model.json files written before model
// kinds (format 0: the engine's checkpoint meta, features in extra), which still load as they are.
import { FeatureSpecError, hasFeatures, parseCovariateStats, parseFeatureSpec, type CovariateStats, type FeatureSpec } from "../../data/features.js";
import type { NormalizationStats } from "../../data/windows.js";
import { parseMeta, WEIGHTS_FILE, type CheckpointMeta } from "../../engine/checkpoint.js";
import { validateModelShape, type ModelShape } from "../../engine/model.js";
import type { Frequency, SavedModel } from "../model.js";
import { ModelFileError } from "../model-file-error.js";
import { NETWORK_FORMAT_VERSION, NETWORK_KIND } from "./network-model.js";

/** The legacy format's version number in SavedModel.format_version. */
export const LEGACY_NETWORK_FORMAT = 0;

export interface NetworkState {
  shape: ModelShape;
  normalization: NormalizationStats;
  features?: FeatureSpec;
  covariateStats: CovariateStats[];
  /** The data's frequency: it dates the periods for calendar features. */
  frequency: Frequency;
}

/** The network's state from a saved model of either format; a damaged one is a ModelFileError. */
export function networkState(saved: SavedModel): NetworkState {
  const state = (saved.state ?? {}) as Record<string, unknown>;
  if (saved.format_version === LEGACY_NETWORK_FORMAT) {
    // A checkpoint meta, already checked by parseMeta (readLegacyNetwork).
    const meta = state as unknown as CheckpointMeta;
    return features(meta.shape, meta.normalization, meta.data.frequency, meta.extra?.features, meta.extra?.covariate_stats);
  }
  if (saved.format_version !== NETWORK_FORMAT_VERSION) {
    throw new ModelFileError(
      `the saved ${NETWORK_KIND} model has format_version ${saved.format_version}; this salescast reads ${NETWORK_FORMAT_VERSION}: retrain it`,
    );
  }
  const shape = state.shape as ModelShape;
  try {
    validateModelShape(shape);
  } catch (error) {
    throw new ModelFileError(`the saved ${NETWORK_KIND} model's shape is unusable (${(error as Error).message}): retrain it`);
  }
  const normalization = state.normalization as Partial<NormalizationStats> | undefined;
  if (!normalization || !Number.isFinite(normalization.mean) || !(Number(normalization.std) > 0)) {
    throw new ModelFileError(`the saved ${NETWORK_KIND} model's normalization is not a finite mean and a positive std: retrain it`);
  }
  if (state.frequency !== "D" && state.frequency !== "W") {
    throw new ModelFileError(`the saved ${NETWORK_KIND} model's frequency is ${JSON.stringify(state.frequency)}, not "D" or "W": retrain it`);
  }
  return features(shape, { mean: normalization.mean!, std: normalization.std! }, state.frequency, state.features, state.covariate_stats);
}

function features(shape: ModelShape, normalization: NormalizationStats, frequency: Frequency, spec: unknown, stats: unknown): NetworkState {
  try {
    const parsed = parseFeatureSpec(spec);
    return {
      shape,
      normalization,
      frequency,
      ...(hasFeatures(parsed) ? { features: parsed } : {}),
      covariateStats: parsed ? parseCovariateStats(stats, parsed) : [],
    };
  } catch (error) {
    if (error instanceof FeatureSpecError) throw new ModelFileError(error.message);
    throw error;
  }
}

/**
 * A model.json without a `model` part: a network checkpoint of the format before model kinds.
 * Checked as the engine checks its checkpoints (format, versions, shape, data fingerprint);
 * its one file is the weights the meta names.
 */
export function readLegacyNetwork(metaPath: string, text: string): { saved: SavedModel; files: Record<string, { sha256?: string; bytes?: number }> } {
  const meta = parseMeta(metaPath, text);
  const weights = meta.weights;
  return {
    saved: { kind: NETWORK_KIND, format_version: LEGACY_NETWORK_FORMAT, state: meta },
    files: { [weights?.file ?? WEIGHTS_FILE]: weights ? { sha256: weights.sha256, bytes: weights.bytes } : {} },
  };
}
