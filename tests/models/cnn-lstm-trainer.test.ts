import { describe, expect, it } from "vitest";
import { CnnLstmModel } from "../../src/engine/model.js";
import { buildCategoryDataset } from "../../src/models/cnn_lstm/dataset.js";
import { evaluateLoss, trainModel, TrainingAbortedError, type EpochReport, type TrainerOptions } from "../../src/models/cnn_lstm/trainer.js";
import { dailyDates, syntheticSeries } from "../training/helpers.js";

const shape = { windowSize: 7, inputSize: 1, convChannels: 4, lstmHidden: 6, lstmLayers: 1, outputSize: 1 };
const series = syntheticSeries(120);
const dataset = buildCategoryDataset("A", series, dailyDates(120), { windowSize: 7, valFraction: 0.2, testFraction: 0 });

function options(overrides: Partial<TrainerOptions> = {}): TrainerOptions {
  return { maxEpochs: 3, patience: 10, batchSize: 16, lr: 0.01, weightDecay: 0, gradClip: 0, seed: 7, ...overrides };
}

describe("trainModel", () => {
  it("gives identical weights, bit for bit, for the same seed", async () => {
    const a = new CnnLstmModel(shape, 7);
    const b = new CnnLstmModel(shape, 7);
    await trainModel(a, dataset.train, dataset.validation, options());
    await trainModel(b, dataset.train, dataset.validation, options());
    expect(Buffer.from(a.params.data.buffer).equals(Buffer.from(b.params.data.buffer))).toBe(true);
    // ... and a different shuffling seed gives different weights (the seed is really used).
    const c = new CnnLstmModel(shape, 7);
    await trainModel(c, dataset.train, dataset.validation, options({ seed: 8 }));
    expect(Buffer.from(a.params.data.buffer).equals(Buffer.from(c.params.data.buffer))).toBe(false);
  });

  it("reports every batch and epoch, and the training loss goes down", async () => {
    const model = new CnnLstmModel(shape, 3);
    const epochs: EpochReport[] = [];
    const batches: number[] = [];
    const outcome = await trainModel(model, dataset.train, dataset.validation, {
      ...options({ maxEpochs: 6 }),
      onEpoch: (e) => epochs.push(e),
      onBatch: (b) => batches.push(b.batch),
    });
    const perEpoch = Math.ceil(dataset.train.count / 16);
    expect(batches.length).toBe(perEpoch * 6);
    expect(batches.slice(0, perEpoch)).toEqual(Array.from({ length: perEpoch }, (_, i) => i + 1));
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(outcome.history).toEqual(epochs);
    expect(epochs[5].trainLoss).toBeLessThan(epochs[0].trainLoss);
  });

  it("stops after `patience` epochs without improvement and restores the best weights", async () => {
    // A learning rate this high makes the validation loss bounce, so patience triggers.
    const model = new CnnLstmModel(shape, 5);
    const outcome = await trainModel(model, dataset.train, dataset.validation, options({ maxEpochs: 40, patience: 2, lr: 0.2 }));
    expect(outcome.stoppedEarly).toBe(true);
    expect(outcome.epochs).toBe(outcome.bestEpoch + 2);
    expect(outcome.epochs).toBeLessThan(40);
    const best = outcome.history[outcome.bestEpoch - 1];
    expect(best.improved).toBe(true);
    expect(Math.min(...outcome.history.map((e) => e.valLoss))).toBe(best.valLoss);
    // The weights the model holds are the best epoch's: same validation loss, exactly.
    expect(evaluateLoss(model, dataset.validation, 16)).toBe(best.valLoss);
    expect(outcome.bestValLoss).toBe(best.valLoss);
    const last = outcome.history[outcome.history.length - 1];
    expect(last.valLoss).toBeGreaterThan(best.valLoss);
  });

  it("stops cleanly when the signal aborts", async () => {
    const controller = new AbortController();
    const model = new CnnLstmModel(shape, 5);
    let seen = 0;
    const run = trainModel(model, dataset.train, dataset.validation, {
      ...options({ maxEpochs: 50 }),
      signal: controller.signal,
      onBatch: () => {
        seen += 1;
        if (seen === 3) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(TrainingAbortedError);
    expect(seen).toBe(3);
  });
});
