// Adam against steps computed by hand, clipping with clip_grad_norm_ semantics, MSE.

import { describe, expect, it } from "vitest";
import { Adam, clipGradNorm, mseLoss, ParameterSet } from "../../src/engine/index.js";

function paramsWith(values: number[]): ParameterSet<Float64Array> {
  const params = new ParameterSet([{ name: "w", shape: [values.length] }], (n) => new Float64Array(n));
  params.data.set(values);
  return params;
}

describe("Adam", () => {
  it("first step moves each weight by lr against the sign of its gradient (bias correction)", () => {
    const params = paramsWith([1, -2, 0.5]);
    params.grad.set([0.3, -4, 0]);
    new Adam(params, { lr: 0.1 }).step();
    // m̂ = g, v̂ = g², update = lr · g / (|g| + eps)
    expect(params.data[0]).toBeCloseTo(1 - (0.1 * 0.3) / (0.3 + 1e-8), 12);
    expect(params.data[1]).toBeCloseTo(-2 + (0.1 * 4) / (4 + 1e-8), 12);
    expect(params.data[2]).toBe(0.5);
  });

  it("second step matches the formula worked by hand", () => {
    const params = paramsWith([1]);
    const adam = new Adam(params, { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    params.grad[0] = 2;
    adam.step(); // m = 0.2, v = 0.004, p = 1 - 0.01 · 2/(2 + 1e-8)
    params.grad[0] = -1;
    adam.step(); // m = 0.18 - 0.1 = 0.08, v = 0.003996 + 0.001 = 0.004996
    const p1 = 1 - (0.01 * 2) / (2 + 1e-8);
    const mHat = 0.08 / (1 - 0.81);
    const denom = Math.sqrt(0.004996) / Math.sqrt(1 - 0.998001) + 1e-8;
    expect(params.data[0]).toBeCloseTo(p1 - (0.01 * mHat) / denom, 12);
    expect(adam.stepCount).toBe(2);
    expect(adam.firstMoment[0]).toBeCloseTo(0.08, 12);
    expect(adam.secondMoment[0]).toBeCloseTo(0.004996, 12);
  });

  it("adds weight decay to the gradient (L2, as torch.optim.Adam), not to the weight (AdamW)", () => {
    const params = paramsWith([2]);
    params.grad[0] = 0;
    new Adam(params, { lr: 0.1, weightDecay: 0.5 }).step();
    // g = 0 + 0.5 · 2 = 1 → first step moves by lr · 1/(1 + eps); AdamW would move by lr·wd·p = 0.1 more.
    expect(params.data[0]).toBeCloseTo(2 - 0.1 / (1 + 1e-8), 12);
  });

  it("clips the global gradient norm before the step when clipNorm is set", () => {
    const params = paramsWith([0, 0]);
    params.grad.set([3, 4]);
    const adam = new Adam(params, { lr: 0.1, clipNorm: 1, weightDecay: 1 });
    adam.step();
    expect(adam.lastGradNorm).toBeCloseTo(5, 12);
    const coef = 1 / (5 + 1e-6);
    expect(params.grad[0]).toBeCloseTo(3 * coef, 12);
    expect(params.grad[1]).toBeCloseTo(4 * coef, 12);
  });

  it("state() and loadState() carry the moments and step count", () => {
    const a = paramsWith([1, 2]);
    const b = paramsWith([1, 2]);
    const adamA = new Adam(a, { lr: 0.01 });
    const adamB = new Adam(b, { lr: 0.01 });
    a.grad.set([0.5, -0.25]);
    adamA.step();
    adamB.loadState(adamA.state());
    b.data.set(a.data);
    a.grad.set([0.1, 0.2]);
    b.grad.set([0.1, 0.2]);
    adamA.step();
    adamB.step();
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
    expect(() => adamB.loadState({ stepCount: 1, firstMoment: new Float32Array(3), secondMoment: new Float32Array(3) })).toThrow(
      /saved moments have 3\/3 values but the model has 2 parameters/,
    );
  });

  it.each([
    [{ lr: 0 }, /lr must be a positive number/],
    [{ lr: Number.NaN }, /lr must be a positive number/],
    [{ lr: 0.1, beta1: 1 }, /beta1 must be in \[0, 1\), got 1/],
    [{ lr: 0.1, beta2: -0.1 }, /beta2 must be in \[0, 1\)/],
    [{ lr: 0.1, eps: -1 }, /eps must be a non-negative number/],
    [{ lr: 0.1, weightDecay: -0.01 }, /weightDecay must be a non-negative number/],
    [{ lr: 0.1, clipNorm: Infinity }, /clipNorm must be a non-negative number/],
  ])("refuses the options %o", (options, message) => {
    expect(() => new Adam(paramsWith([1]), options)).toThrow(message);
  });
});

describe("clipGradNorm", () => {
  it("scales by maxNorm / (norm + 1e-6) when the norm is above maxNorm", () => {
    const grad = new Float64Array([3, 0, -4]);
    expect(clipGradNorm(grad, 2.5)).toBeCloseTo(5, 12);
    expect(Array.from(grad).map((g) => (g * (5 + 1e-6)) / 2.5)).toEqual([expect.closeTo(3, 10), 0, expect.closeTo(-4, 10)]);
  });

  it("leaves gradients below the limit untouched", () => {
    const grad = new Float32Array([0.3, 0.4]);
    expect(clipGradNorm(grad, 1)).toBeCloseTo(0.5, 6);
    expect(Array.from(grad)).toEqual([Math.fround(0.3), Math.fround(0.4)]);
  });

  it("refuses a non-positive limit", () => {
    expect(() => clipGradNorm(new Float32Array(2), 0)).toThrow(/maxNorm must be a positive number, got 0/);
  });
});

describe("mseLoss", () => {
  it("is the mean of squared differences and fills its gradient", () => {
    const d = new Float32Array(4);
    const loss = mseLoss(new Float32Array([1, 2, 3, 4]), new Float32Array([1, 0, 3, 2]), d);
    expect(loss).toBe(2);
    expect(Array.from(d)).toEqual([0, 1, 0, 1]);
  });

  it("refuses mismatched or empty inputs", () => {
    expect(() => mseLoss(new Float32Array(3), new Float32Array(2))).toThrow(/pred has 3 values but target has 2/);
    expect(() => mseLoss(new Float32Array(0), new Float32Array(0))).toThrow(/pred is empty/);
    expect(() => mseLoss(new Float32Array(2), new Float32Array(2), new Float32Array(1))).toThrow(/dPred has 1 values/);
  });
});
