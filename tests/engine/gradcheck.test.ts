// Finite-difference gradient check of the whole model in float64: central differences for
// every parameter element and every input element against backward().

import { describe, expect, it } from "vitest";
import { CnnLstmModel, mseLoss, Random, type ModelShape } from "../../src/engine/index.js";

const EPS = 1e-5;
// Central differences in float64 are accurate to ~1e-10 here; a wrong gradient is off by far more.
const REL_TOL = 1e-6;
const ABS_TOL = 1e-9;

interface Case {
  label: string;
  shape: ModelShape;
  batch: number;
  seed: number;
}

const cases: Case[] = [
  {
    label: "window 6, conv 2, hidden 3, 2 layers, batch 2",
    shape: { windowSize: 6, inputSize: 1, convChannels: 2, lstmHidden: 3, lstmLayers: 2, outputSize: 1 },
    batch: 2,
    seed: 7,
  },
  {
    label: "window 5, 2 inputs, conv 3, hidden 2, 1 layer, 2 outputs, batch 3",
    shape: { windowSize: 5, inputSize: 2, convChannels: 3, lstmHidden: 2, lstmLayers: 1, outputSize: 2 },
    batch: 3,
    seed: 11,
  },
];

function randomArray(rng: Random, n: number): Float64Array {
  return Float64Array.from({ length: n }, () => rng.normal());
}

describe.each(cases)("gradient check: $label", ({ shape, batch, seed }) => {
  const model = CnnLstmModel.float64(shape, seed);
  const rng = new Random(seed + 1000);
  const x = randomArray(rng, batch * shape.inputSize * shape.windowSize);
  const target = randomArray(rng, batch * shape.outputSize);
  const lossAt = (input: Float64Array): number => mseLoss(model.predict(input, batch), target);

  const out = model.forward(x, batch);
  const dOut = new Float64Array(out.length);
  mseLoss(out, target, dOut);
  model.params.zeroGrad();
  model.backward(dOut);
  const analyticInput = model.inputGrad();

  function check(label: string, values: Float64Array, analytic: Float64Array, loss: () => number): void {
    let worst = 0;
    const bad: string[] = [];
    for (let i = 0; i < values.length; i++) {
      const saved = values[i];
      values[i] = saved + EPS;
      const plus = loss();
      values[i] = saved - EPS;
      const minus = loss();
      values[i] = saved;
      const numeric = (plus - minus) / (2 * EPS);
      const err = Math.abs(numeric - analytic[i]);
      const allowed = REL_TOL * Math.max(Math.abs(numeric), Math.abs(analytic[i])) + ABS_TOL;
      worst = Math.max(worst, err);
      if (!(err <= allowed)) bad.push(`${label}[${i}]: analytic ${analytic[i]}, numeric ${numeric}`);
    }
    console.log(`gradcheck ${label.padEnd(20)} ${values.length.toString().padStart(4)} elements, max |analytic - numeric| ${worst.toExponential(2)}`);
    expect(bad).toEqual([]);
    // A tensor whose gradient is all zero (e.g. dead ReLUs) would check nothing.
    expect(Math.max(...Array.from(analytic, Math.abs))).toBeGreaterThan(0);
  }

  it.each(model.params.entries.map((e) => e.name))("parameter %s", (name) => {
    check(name, model.params.view(name), model.params.gradView(name), () => lossAt(x));
  });

  it("input", () => {
    check("input", x, analyticInput, () => lossAt(x));
  });
});
