// The native backend's fused whole-network path against the reference backend driven kernel by
// kernel: same weights, same inputs, for batch sizes on both sides of the thresholds where the
// native code splits a batch over two threads (8 rows) and chunks predict() (256 rows).

import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { Adam, CnnLstmModel, getBackend, mseLoss, Random, type Backend, type ModelShape } from "../../src/engine/index.js";
import type { WindowSet } from "../../src/models/cnn_lstm/dataset.js";
import { trainModel } from "../../src/models/cnn_lstm/trainer.js";
import { nativeAddonPath } from "../../src/engine/backends/native.js";
import { nativeBackendOrSkipReason } from "./backends-under-test.js";
import { compare, formatTable, type Comparison } from "./torch-fixtures.js";

const native = nativeBackendOrSkipReason();
const reference = getBackend("reference");
const SHAPE: ModelShape = { windowSize: 10, inputSize: 2, convChannels: 12, lstmHidden: 20, lstmLayers: 2, outputSize: 3 };

function randomArray(rng: Random, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal());
}

function twin(shape: ModelShape, backend: Backend): CnnLstmModel {
  return new CnnLstmModel(shape, 7, { backend });
}

describe.skipIf(typeof native === "string")("native backend, fused network", () => {
  const be = native as Backend;
  if (typeof native === "string") console.warn(`skipping the native backend tests: ${native}`);

  it.each([1, 5, 8, 9, 33])("forward, backward and input gradient match the reference at batch %i", (batch) => {
    const rng = new Random(batch);
    const x = randomArray(rng, batch * SHAPE.inputSize * SHAPE.windowSize);
    const target = randomArray(rng, batch * SHAPE.outputSize);
    const results = [reference, be].map((backend) => {
      const model = twin(SHAPE, backend);
      const out = model.forward(x, batch);
      const dOut = new Float32Array(out.length);
      const loss = mseLoss(out, target, dOut);
      model.params.zeroGrad();
      model.params.grad.fill(0.5); // backward adds into the gradients
      model.backward(dOut);
      return { model, out, loss, grad: model.params.grad.slice(), dx: model.inputGrad() };
    });
    const [ref, fst] = results;
    expect(fst.model.backend.name).toBe("native");
    const rows: Comparison[] = [
      compare("output", fst.out, ref.out, 1e-5),
      compare("loss", [fst.loss], [ref.loss], 1e-5),
      ...ref.model.params.entries.map((e) =>
        compare(`grad ${e.name}`, fst.grad.subarray(e.offset, e.offset + e.size), ref.grad.subarray(e.offset, e.offset + e.size), 1e-4),
      ),
      compare("grad input", fst.dx, ref.dx, 1e-4),
    ];
    const failed = rows.filter((r) => !r.ok);
    if (failed.length > 0) console.log(formatTable(`batch ${batch}: native vs reference`, rows));
    expect(failed.map((r) => r.name)).toEqual([]);
  });

  it("predict() matches the reference for one window and for more rows than one predict chunk", () => {
    const rng = new Random(3);
    for (const batch of [1, 300]) {
      const x = randomArray(rng, batch * SHAPE.inputSize * SHAPE.windowSize);
      const ref = twin(SHAPE, reference).predict(x, batch);
      const got = twin(SHAPE, be).predict(x, batch);
      const row = compare(`predict ${batch}`, got, ref, 1e-5);
      expect(row.ok, `${row.name}: relative ${row.relative}`).toBe(true);
    }
  });

  it("predict() between forward() and backward() leaves the kept activations alone", () => {
    const rng = new Random(4);
    const x = randomArray(rng, 16 * SHAPE.inputSize * SHAPE.windowSize);
    const other = randomArray(rng, 16 * SHAPE.inputSize * SHAPE.windowSize);
    const dOut = randomArray(rng, 16 * SHAPE.outputSize);
    const plain = twin(SHAPE, be);
    plain.forward(x, 16);
    plain.backward(dOut);
    const disturbed = twin(SHAPE, be);
    disturbed.forward(x, 16);
    disturbed.predict(other, 16);
    disturbed.predict(other.subarray(0, 3 * SHAPE.inputSize * SHAPE.windowSize), 3);
    disturbed.backward(dOut);
    expect(Array.from(disturbed.params.grad)).toEqual(Array.from(plain.params.grad));
  });

  it("is deterministic: the same run twice gives the same bits", () => {
    const run = () => {
      const rng = new Random(9);
      const model = twin(SHAPE, be);
      const adam = new Adam(model.params, { lr: 0.01, backend: be });
      for (let step = 0; step < 3; step++) {
        const x = randomArray(rng, 32 * SHAPE.inputSize * SHAPE.windowSize);
        const dOut = new Float32Array(32 * SHAPE.outputSize);
        mseLoss(model.forward(x, 32), randomArray(rng, 32 * SHAPE.outputSize), dOut);
        model.params.zeroGrad();
        model.backward(dOut);
        adam.step();
      }
      return model.params.data.slice();
    };
    expect(Array.from(run())).toEqual(Array.from(run()));
  });

  it("native Adam gives exactly the TypeScript loop's result (weight decay and clipping on)", () => {
    const rng = new Random(11);
    const models = [twin(SHAPE, reference), twin(SHAPE, reference)];
    const options = { lr: 0.003, weightDecay: 0.01, clipNorm: 0.5 };
    const adams = [new Adam(models[0].params, { ...options, backend: reference }), new Adam(models[1].params, { ...options, backend: be })];
    for (let step = 0; step < 4; step++) {
      const grad = randomArray(rng, models[0].params.size);
      for (let k = 0; k < 2; k++) {
        models[k].params.grad.set(grad);
        adams[k].step();
      }
    }
    expect(Array.from(models[1].params.data)).toEqual(Array.from(models[0].params.data));
    expect(Array.from(adams[1].secondMoment)).toEqual(Array.from(adams[0].secondMoment));
  });

  it("loads in worker threads (context-aware), several at once, each computing the same forecast", async () => {
    const model = twin(SHAPE, be);
    const x = randomArray(new Random(13), 9 * SHAPE.inputSize * SHAPE.windowSize);
    const expected = Array.from(model.predict(x, 9));
    const code = `
      const { parentPort, workerData: d } = require("node:worker_threads");
      const addon = require(d.path);
      const net = addon.createNetwork(d.F, d.T, d.C, d.H, d.L, d.O, 3);
      const y = new Float32Array(9 * d.O);
      addon.networkForward(net, d.params, d.x, 9, y, false);
      parentPort.postMessage({ y: Array.from(y), threads: addon.describe().threads });`;
    const s = SHAPE;
    const run = () =>
      new Promise<{ y: number[]; threads: number }>((resolve, reject) => {
        const worker = new Worker(code, {
          eval: true,
          workerData: {
            path: nativeAddonPath(),
            F: s.inputSize,
            T: s.windowSize,
            C: s.convChannels,
            H: s.lstmHidden,
            L: s.lstmLayers,
            O: s.outputSize,
            params: model.params.data,
            x,
          },
        });
        worker.once("message", (m) => {
          resolve(m);
          void worker.terminate();
        });
        worker.once("error", reject);
      });
    const results = await Promise.all([run(), run(), run()]);
    for (const r of results) expect(r.y).toEqual(expected);
  });

  it("falls back to the reference backend for float64 models", () => {
    const model = new CnnLstmModel<Float64Array>(SHAPE, 1, { precision: "float64", backend: be });
    expect(model.backend.name).toBe("reference");
  });

  it("rejects bad calls with messages that say what was wrong", () => {
    const model = twin(SHAPE, be);
    expect(() => model.backward(new Float32Array(3))).toThrow(/needs a forward\(\) call first/);
    expect(() => model.forward(new Float32Array(5), 1)).toThrow(/x has 5 values but batch 1 × inputSize 2 × windowSize 10 needs 20/);
    model.forward(new Float32Array(40), 2);
    expect(() => model.backward(new Float32Array(5))).toThrow(/dOut has 5 values but the last forward\(\) produced 6/);
    expect(() => be.matmul(new Float32Array(2), new Float32Array(4), new Float32Array(4), 2, 2, 2, false)).toThrow(/out has 2 elements, the operation needs 4/);
    expect(() => be.reluForward(new Float64Array(2), 2)).toThrow(/Float32Array/);
  });

  it("accepts a Float64Array input (converted) with the same result", () => {
    const rng = new Random(12);
    const x = randomArray(rng, 4 * SHAPE.inputSize * SHAPE.windowSize);
    const model = twin(SHAPE, be);
    expect(Array.from(model.predict(Float64Array.from(x), 4))).toEqual(Array.from(model.predict(x, 4)));
  });
});

/** Noisy sine windows split into train and validation sets. */
function sineWindows(count: number, windowSize: number, seed: number): WindowSet {
  const rng = new Random(seed);
  const series = Float32Array.from({ length: count + windowSize }, (_, t) => Math.sin(t / 3) + 0.1 * rng.normal());
  const inputs = new Float32Array(count * windowSize);
  const targets = new Float32Array(count);
  for (let n = 0; n < count; n++) {
    inputs.set(series.subarray(n, n + windowSize), n * windowSize);
    targets[n] = series[n + windowSize];
  }
  return {
    count,
    windowSize,
    inputSize: 1,
    horizon: 1,
    inputs,
    targets,
    targetIndices: Int32Array.from({ length: count }, (_, n) => n + windowSize),
    dates: Array.from({ length: count }, () => "2024-01-01"),
    actual: Float64Array.from(targets),
  };
}

describe.skipIf(typeof native === "string")("native backend, training", () => {
  it("reaches the reference backend's validation loss within noise", async () => {
    const shape: ModelShape = { windowSize: 14, inputSize: 1, convChannels: 8, lstmHidden: 16, lstmLayers: 1, outputSize: 1 };
    const train = sineWindows(384, 14, 1);
    const validation = sineWindows(96, 14, 2);
    const options = { maxEpochs: 12, patience: 12, batchSize: 32, lr: 0.01, weightDecay: 0, gradClip: 0, seed: 5 };
    const outcomes = [];
    for (const backend of [reference, native as Backend]) {
      const model = new CnnLstmModel(shape, 5, { backend });
      outcomes.push(await trainModel(model, train, validation, options));
    }
    const [ref, fst] = outcomes;
    // Learned something (the noise floor is 0.01, a constant predictor ~0.5) ...
    expect(ref.bestValLoss).toBeLessThan(0.1);
    // ... and the same thing: float32 rounding differences only, not a different optimum.
    expect(Math.abs(fst.bestValLoss - ref.bestValLoss)).toBeLessThan(0.1 * ref.bestValLoss + 0.002);
  });
});
