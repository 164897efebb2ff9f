// Model construction, seeded initialisation, batching and the errors a caller can cause.

import { describe, expect, it } from "vitest";
import { CnnLstmModel, mseLoss, parameterLayout, pytorchInitBound, Random, type ModelShape } from "../../src/engine/index.js";

const shape: ModelShape = { windowSize: 14, inputSize: 1, convChannels: 32, lstmHidden: 64, lstmLayers: 1, outputSize: 1 };
const small: ModelShape = { windowSize: 8, inputSize: 2, convChannels: 4, lstmHidden: 5, lstmLayers: 2, outputSize: 3 };

function randomInput(seed: number, n: number): Float32Array {
  const rng = new Random(seed);
  return Float32Array.from({ length: n }, () => rng.normal());
}

describe("parameterLayout", () => {
  it("uses PyTorch's named_parameters() names, shapes and order", () => {
    expect(parameterLayout(small)).toEqual([
      { name: "conv.weight", shape: [4, 2, 3] },
      { name: "conv.bias", shape: [4] },
      { name: "lstm.weight_ih_l0", shape: [20, 4] },
      { name: "lstm.weight_hh_l0", shape: [20, 5] },
      { name: "lstm.bias_ih_l0", shape: [20] },
      { name: "lstm.bias_hh_l0", shape: [20] },
      { name: "lstm.weight_ih_l1", shape: [20, 5] },
      { name: "lstm.weight_hh_l1", shape: [20, 5] },
      { name: "lstm.bias_ih_l1", shape: [20] },
      { name: "lstm.bias_hh_l1", shape: [20] },
      { name: "fc.weight", shape: [3, 5] },
      { name: "fc.bias", shape: [3] },
    ]);
  });

  it("gives the default model PyTorch's parameter count (25,281)", () => {
    expect(new CnnLstmModel(shape, 1).params.size).toBe(25281);
  });

  it.each([
    [{ windowSize: 2 }, /windowSize 2 is shorter than the convolution kernel/],
    [{ lstmLayers: 0 }, /lstmLayers must be a positive integer, got 0/],
    [{ convChannels: 1.5 }, /convChannels must be a positive integer, got 1.5/],
    [{ outputSize: Number.NaN }, /outputSize must be a positive integer/],
  ])("refuses the shape %o", (override, message) => {
    expect(() => parameterLayout({ ...shape, ...override })).toThrow(message);
    expect(() => new CnnLstmModel({ ...shape, ...override }, 1)).toThrow(message);
  });
});

describe("seeded initialisation", () => {
  it("is identical bit for bit for the same seed", () => {
    const a = new CnnLstmModel(shape, 42).params.data;
    const b = new CnnLstmModel(shape, 42).params.data;
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
  });

  it("differs for another seed", () => {
    const a = new CnnLstmModel(shape, 42).params.data;
    const b = new CnnLstmModel(shape, 43).params.data;
    let same = 0;
    for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
    expect(same).toBeLessThan(a.length / 1000);
  });

  it("stays within PyTorch's bounds and spans them", () => {
    const model = new CnnLstmModel(shape, 7);
    const expectedBounds: Record<string, number> = {
      "conv.weight": 1 / Math.sqrt(3),
      "conv.bias": 1 / Math.sqrt(3),
      "lstm.weight_ih_l0": 1 / 8,
      "lstm.weight_hh_l0": 1 / 8,
      "lstm.bias_ih_l0": 1 / 8,
      "lstm.bias_hh_l0": 1 / 8,
      "fc.weight": 1 / 8,
      "fc.bias": 1 / 8,
    };
    for (const entry of model.params.entries) {
      const bound = pytorchInitBound(entry.name, shape);
      expect(bound).toBeCloseTo(expectedBounds[entry.name], 12);
      const values = Array.from(model.params.view(entry.name));
      const maxAbs = Math.max(...values.map(Math.abs));
      expect(maxAbs, entry.name).toBeLessThanOrEqual(Math.fround(bound));
      if (entry.size >= 256) {
        // A uniform(±b) sample this large reaches close to both ends and is centred.
        expect(Math.max(...values)).toBeGreaterThan(0.95 * bound);
        expect(Math.min(...values)).toBeLessThan(-0.95 * bound);
        expect(Math.abs(values.reduce((s, v) => s + v, 0) / values.length)).toBeLessThan(0.1 * bound);
      }
    }
  });

  it("uses fan_in = inputSize × kernel for the conv", () => {
    expect(pytorchInitBound("conv.weight", { ...shape, inputSize: 4 })).toBeCloseTo(1 / Math.sqrt(12), 12);
  });
});

describe("forward / predict / backward", () => {
  it("a batch gives the same outputs as each sample alone", () => {
    const model = new CnnLstmModel(small, 3);
    const B = 4;
    const per = small.inputSize * small.windowSize;
    const x = randomInput(1, B * per);
    const batched = model.forward(x, B);
    expect(batched.length).toBe(B * small.outputSize);
    for (let b = 0; b < B; b++) {
      const single = model.predict(x.subarray(b * per, (b + 1) * per), 1);
      for (let o = 0; o < small.outputSize; o++) {
        expect(single[o]).toBeCloseTo(batched[b * small.outputSize + o], 6);
      }
    }
  });

  it("predict() returns forward()'s values and leaves the activations for backward() intact", () => {
    const model = new CnnLstmModel(small, 3);
    const x = randomInput(2, 2 * 16);
    const other = randomInput(3, 2 * 16);
    const target = randomInput(4, 2 * 3);
    const dOut = new Float32Array(6);

    const out = model.forward(x, 2);
    expect(Array.from(model.predict(x, 2))).toEqual(Array.from(out));
    mseLoss(out, target, dOut);
    model.params.zeroGrad();
    model.backward(dOut);
    const clean = model.params.grad.slice();

    model.forward(x, 2);
    model.predict(other, 2); // same batch size, different data
    model.params.zeroGrad();
    model.backward(dOut);
    expect(Array.from(model.params.grad)).toEqual(Array.from(clean));
  });

  it("predict() on a batch larger than its chunk size gives forward()'s outputs", () => {
    const model = new CnnLstmModel(small, 9);
    const B = 600; // three chunks of 256, 256, 88
    const x = randomInput(8, B * 16);
    const expected = model.forward(x, B);
    const got = model.predict(x, B);
    expect(got.length).toBe(B * 3);
    expect(Array.from(got)).toEqual(Array.from(expected));
  });

  it("backward() adds into the gradients instead of overwriting them", () => {
    const model = new CnnLstmModel(small, 5);
    const x = randomInput(6, 3 * 16);
    const dOut = randomInput(7, 3 * 3);
    model.params.zeroGrad();
    model.forward(x, 3);
    model.backward(dOut);
    const once = model.params.grad.slice();
    model.backward(dOut);
    for (let i = 0; i < once.length; i += 37) expect(model.params.grad[i]).toBeCloseTo(2 * once[i], 6);
    expect(once.some((g) => g !== 0)).toBe(true);
  });

  it("keeps working when the batch size changes (e.g. a shorter last batch)", () => {
    const model = new CnnLstmModel(small, 5);
    for (const B of [5, 1, 3, 2, 4, 5]) {
      const out = model.forward(randomInput(B, B * 16), B);
      expect(out.length).toBe(B * 3);
      model.backward(new Float32Array(B * 3).fill(0.1));
    }
  });

  it("refuses an x whose length does not match the batch, naming the layout", () => {
    const model = new CnnLstmModel(shape, 1);
    expect(() => model.forward(new Float32Array(14 * 3 + 1), 3)).toThrow(
      "CnnLstmModel.forward(): x has 43 values but batch 3 × inputSize 1 × windowSize 14 needs 42. Lay x out as [batch, inputSize, windowSize].",
    );
    expect(() => model.predict(new Float32Array(13), 1)).toThrow(/predict\(\): x has 13 values/);
    expect(() => model.forward(new Float32Array(0), 0)).toThrow(/batch must be a positive integer, got 0/);
    expect(() => model.predict(new Float32Array(14), 0.5)).toThrow(/batch must be a positive integer, got 0.5/);
  });

  it("refuses backward() before forward() and a dOut of the wrong length", () => {
    const model = new CnnLstmModel(shape, 1);
    expect(() => model.backward(new Float32Array(1))).toThrow(/needs a forward\(\) call first/);
    model.predict(new Float32Array(14), 1);
    expect(() => model.backward(new Float32Array(1))).toThrow(/needs a forward\(\) call first/);
    model.forward(new Float32Array(28), 2);
    expect(() => model.backward(new Float32Array(3))).toThrow(/dOut has 3 values but the last forward\(\) produced 2/);
  });
});
