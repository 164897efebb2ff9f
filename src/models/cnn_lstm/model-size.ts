// A limit on what a configuration asks the network to be, checked before any work: a shape whose
// training would not fit in memory. The refusal says the numbers and the settings to change.
import { totalmem } from "node:os";
import type { Config } from "../../config/schema.js";
import { estimateTrainingMemory } from "../../engine/memory.js";
import type { ModelShape } from "../../engine/model.js";

const MIB = 1024 ** 2;

/** Bytes a training may take: train.max_memory_mb, or half of this machine's memory when it is 0. */
export function trainingMemoryLimit(config: Config, machineBytes = totalmem()): { bytes: number; source: string } {
  const set = config.train.max_memory_mb;
  if (set > 0) return { bytes: set * MIB, source: `train.max_memory_mb ${set}` };
  return { bytes: Math.floor(machineBytes / 2), source: `half of this machine's ${formatBytes(machineBytes)}; train.max_memory_mb sets another limit` };
}

/** Throws, naming the estimate, the limit and the settings, when training `shape` would not fit. */
export function checkModelMemory(config: Config, shape: ModelShape, machineBytes = totalmem()): void {
  const batch = config.data.batch_size;
  const { parameters, bytes } = estimateTrainingMemory(shape, batch);
  const limit = trainingMemoryLimit(config, machineBytes);
  if (bytes <= limit.bytes) return;
  const reference = estimateTrainingMemory({ ...shape, convChannels: 32, lstmHidden: 64, lstmLayers: 1 }, batch).bytes;
  throw new Error(
    `the network is too large to train: model.conv_channels ${shape.convChannels}, model.lstm_hidden ${shape.lstmHidden}, ` +
      `model.lstm_layers ${shape.lstmLayers} (window ${shape.windowSize}, batch ${batch}) make ${parameters.toLocaleString("en-US")} parameters ` +
      `and need about ${formatBytes(bytes)} to train (weights, gradients, Adam's moments and the activations of a batch), ` +
      `more than the limit of ${formatBytes(limit.bytes)} (${limit.source}). ` +
      `Lower model.lstm_hidden, model.conv_channels or model.lstm_layers (the defaults 64, 32 and 1 need about ${formatBytes(reference)}), or data.batch_size.`,
  );
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
  return `${Math.max(bytes / MIB, 0.1).toFixed(1)} MB`;
}
