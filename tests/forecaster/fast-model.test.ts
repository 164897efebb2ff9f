// The WebAssembly SIMD inference path against the engine (the reference): same answers, to
// float32 rounding, on random models of several shapes and on inputs that saturate the gates.
import { describe, expect, it } from "vitest";
import { CnnLstmModel, type ModelShape } from "../../src/engine/model.js";
import { Random } from "../../src/engine/random.js";
import { FastCnnLstm, fastPathProblem } from "../../src/forecaster/fast-model.js";

const shapes: Array<[string, ModelShape]> = [
  ["the reference shape", { windowSize: 14, inputSize: 1, convChannels: 32, lstmHidden: 64, lstmLayers: 1, outputSize: 1 }],
  ["a tiny model", { windowSize: 14, inputSize: 1, convChannels: 4, lstmHidden: 8, lstmLayers: 1, outputSize: 1 }],
  ["a hidden size that is not a multiple of 4 (padded)", { windowSize: 10, inputSize: 1, convChannels: 5, lstmHidden: 6, lstmLayers: 1, outputSize: 1 }],
  ["two LSTM layers", { windowSize: 28, inputSize: 1, convChannels: 7, lstmHidden: 12, lstmLayers: 2, outputSize: 1 }],
  ["the shortest window", { windowSize: 3, inputSize: 1, convChannels: 3, lstmHidden: 1, lstmLayers: 3, outputSize: 1 }],
];

function randomInputs(rng: Random, count: number, scale: number): Float32Array {
  return Float32Array.from({ length: count }, () => rng.uniform(-scale, scale));
}

describe("FastCnnLstm", () => {
  for (const [name, shape] of shapes) {
    it(`matches CnnLstmModel.predict for ${name}`, () => {
      const model = new CnnLstmModel(shape, 7);
      const fast = FastCnnLstm.from(model);
      expect(fast).toBeDefined();
      const rng = new Random(3);
      let largest = 0;
      for (const batch of [1, 3, 17, 64]) {
        for (const scale of [1, 4, 60]) {
          const x = randomInputs(rng, batch * shape.windowSize, scale);
          const expected = model.predict(x, batch);
          const actual = fast!.predict(x, batch);
          expect(actual).toHaveLength(batch);
          for (let b = 0; b < batch; b++) largest = Math.max(largest, Math.abs(actual[b] - expected[b]));
        }
      }
      console.log(`${name}: largest difference ${largest.toExponential(2)} (tolerance 1e-5)`);
      expect(largest).toBeLessThan(1e-5);
    });
  }

  it("gives the same answer for a window alone and inside a batch, after growing its buffers", () => {
    const model = new CnnLstmModel(shapes[1][1], 11);
    const fast = FastCnnLstm.from(model)!;
    const rng = new Random(5);
    const one = randomInputs(rng, 14, 2);
    const alone = fast.predict(one, 1)[0];
    const batch = new Float32Array(200 * 14);
    batch.set(one, 14 * 150);
    expect(fast.predict(batch, 200)[150]).toBeCloseTo(alone, 6);
    expect(fast.predict(one, 1)[0]).toBe(alone);
  });

  it("says why a shape cannot use it", () => {
    expect(fastPathProblem({ ...shapes[0][1], outputSize: 2 })).toMatch(/outputSize 2/);
    expect(fastPathProblem({ ...shapes[0][1], inputSize: 3 })).toMatch(/inputSize 3/);
    expect(fastPathProblem(shapes[0][1])).toBeUndefined();
  });

  it("refuses an input of the wrong size", () => {
    const fast = FastCnnLstm.from(new CnnLstmModel(shapes[1][1], 1))!;
    expect(() => fast.predict(new Float32Array(13), 1)).toThrow(/expected batch 1 × windowSize 14/);
  });
});
