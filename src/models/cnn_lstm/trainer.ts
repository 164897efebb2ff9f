// The training loop for one model: seeded shuffling, mini-batches, per-epoch train and
// validation loss (normalised MSE, like the reference), early stopping that keeps the best
// weights, and a clean stop on an AbortSignal.
//
// The loop is async and yields to the event loop after every batch: that is what lets a
// Ctrl-C (or a message from the main thread to a worker) abort it between two batches.
import { Adam } from "../../engine/adam.js";
import { mseLoss, type LossFunction } from "../../engine/loss.js";
import type { CnnLstmModel } from "../../engine/model.js";
import { Random } from "../../engine/random.js";
import type { WindowSet } from "./dataset.js";
import { TrainingAbortedError } from "../fit-errors.js";

export interface EpochReport {
  /** 1-based. */
  epoch: number;
  /** Mean MSE over the epoch's training windows (normalised units). */
  trainLoss: number;
  /** MSE over all validation windows after the epoch (normalised units). */
  valLoss: number;
  seconds: number;
  /** True when this epoch's validation loss is the best so far (its weights are kept). */
  improved: boolean;
}

export interface BatchReport {
  epoch: number;
  /** 1-based. */
  batch: number;
  batches: number;
  loss: number;
}

export interface TrainerOptions {
  maxEpochs: number;
  /** Stop after this many epochs without a lower validation loss. */
  patience: number;
  batchSize: number;
  lr: number;
  weightDecay: number;
  /** Global gradient norm clip; 0 = off. */
  gradClip: number;
  /** Seeds the shuffling of training windows (model weights are seeded when the model is built). */
  seed: number;
  /** Training and validation loss on the normalised values; default mean squared error (the reference's). */
  loss?: LossFunction;
  onEpoch?: (report: EpochReport) => void;
  onBatch?: (report: BatchReport) => void;
  signal?: AbortSignal;
}

export interface TrainOutcome {
  /** Epochs actually run. */
  epochs: number;
  /** 1-based epoch whose weights the model now holds. */
  bestEpoch: number;
  bestValLoss: number;
  history: EpochReport[];
  /** True when patience ran out before max_epochs. */
  stoppedEarly: boolean;
}

// Thrown when the AbortSignal fires; the model's weights are then undefined (do not save them).
export { TrainingAbortedError };

/** Thrown when no epoch produced a finite validation loss (the loss diverged). */
export class TrainingDivergedError extends Error {
  constructor(epochs: number) {
    super(
      `training diverged: the validation loss was not a finite number in any of ${epochs} epochs. ` +
        `Lower model.lr, set train.grad_clip (e.g. 1.0), or check the data for extreme values.`,
    );
    this.name = "TrainingDivergedError";
  }
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Copies windows `indices[from .. from+count)` of `set` into the batch buffers. */
function gatherBatch(set: WindowSet, indices: Int32Array, from: number, count: number, x: Float32Array, y: Float32Array): void {
  const size = set.inputSize * set.windowSize;
  const h = set.horizon;
  for (let b = 0; b < count; b++) {
    const n = indices[from + b];
    x.set(set.inputs.subarray(n * size, (n + 1) * size), b * size);
    y.set(set.targets.subarray(n * h, (n + 1) * h), b * h);
  }
}

/** The loss (default normalised MSE) of the model on every window of `set` (over all H targets), in batches of `batchSize`. */
export function evaluateLoss(model: CnnLstmModel, set: WindowSet, batchSize: number, loss: LossFunction = mseLoss): number {
  return loss(predictWindows(model, set, batchSize), set.targets);
}

/** The model's normalised forecasts for every window of `set`: [N, horizon]. */
export function predictWindows(model: CnnLstmModel, set: WindowSet, batchSize: number): Float32Array {
  checkWindowShape(model, set);
  const h = set.horizon;
  const out = new Float32Array(set.count * h);
  const size = set.inputSize * set.windowSize;
  for (let from = 0; from < set.count; from += batchSize) {
    const count = Math.min(batchSize, set.count - from);
    const x = set.inputs.subarray(from * size, (from + count) * size);
    out.set(model.predict(x, count).subarray(0, count * h), from * h);
  }
  return out;
}

/** The windows must have the model's channels and as many targets as it has outputs. */
function checkWindowShape(model: CnnLstmModel, set: WindowSet): void {
  const { inputSize, outputSize, windowSize } = model.shape;
  if (set.inputSize !== inputSize || set.horizon !== outputSize || set.windowSize !== windowSize) {
    throw new Error(
      `windows of ${set.windowSize} periods × ${set.inputSize} channels with ${set.horizon} targets do not fit a model of ` +
        `window ${windowSize}, input_size ${inputSize}, ${outputSize} outputs`,
    );
  }
}

export async function trainModel(model: CnnLstmModel, train: WindowSet, validation: WindowSet, options: TrainerOptions): Promise<TrainOutcome> {
  if (train.count === 0) throw new Error("no training windows: the training part is shorter than window_size + 1");
  if (validation.count === 0) throw new Error("no validation windows: the validation part is empty");
  checkWindowShape(model, train);
  checkWindowShape(model, validation);
  const { batchSize, maxEpochs, patience, signal } = options;
  const lossOf = options.loss ?? mseLoss;
  const params = model.params;
  const optimizer = new Adam(params, { lr: options.lr, weightDecay: options.weightDecay, clipNorm: options.gradClip });
  // A separate stream from the weight initialisation, so changing one never shifts the other.
  const random = new Random(options.seed + 1);
  const order = Int32Array.from({ length: train.count }, (_, i) => i);
  const size = train.inputSize * train.windowSize;
  const h = train.horizon;
  const x = new Float32Array(batchSize * size);
  const y = new Float32Array(batchSize * h);
  const dPred = new Float32Array(batchSize * h);
  const batches = Math.ceil(train.count / batchSize);

  const history: EpochReport[] = [];
  let best: Float32Array | undefined;
  let bestEpoch = 0;
  let bestValLoss = Number.POSITIVE_INFINITY;
  let stoppedEarly = false;

  for (let epoch = 1; epoch <= maxEpochs; epoch++) {
    const started = performance.now();
    random.shuffle(order);
    let lossSum = 0;
    for (let b = 0; b < batches; b++) {
      if (signal?.aborted) throw new TrainingAbortedError();
      const from = b * batchSize;
      const count = Math.min(batchSize, train.count - from);
      gatherBatch(train, order, from, count, x, y);
      params.zeroGrad();
      const pred = model.forward(x.subarray(0, count * size), count);
      const loss = lossOf(pred.subarray(0, count * h), y.subarray(0, count * h), dPred.subarray(0, count * h));
      model.backward(dPred.subarray(0, count * h));
      optimizer.step();
      lossSum += loss * count;
      options.onBatch?.({ epoch, batch: b + 1, batches, loss });
      await yieldToEventLoop();
    }
    if (signal?.aborted) throw new TrainingAbortedError();

    const trainLoss = lossSum / train.count;
    const valLoss = evaluateLoss(model, validation, batchSize, lossOf);
    const improved = Number.isFinite(valLoss) && valLoss < bestValLoss;
    if (improved) {
      bestValLoss = valLoss;
      bestEpoch = epoch;
      best = params.data.slice();
    }
    const report: EpochReport = { epoch, trainLoss, valLoss, seconds: (performance.now() - started) / 1000, improved };
    history.push(report);
    options.onEpoch?.(report);
    if (epoch - bestEpoch >= patience && epoch < maxEpochs) {
      stoppedEarly = true;
      break;
    }
  }

  if (best === undefined) throw new TrainingDivergedError(history.length);
  params.data.set(best);
  return { epochs: history.length, bestEpoch, bestValLoss, history, stoppedEarly };
}
