// The serving path choice (src/forecaster/inference-path.ts): every path gives the engine's
// forecast to float32 rounding, and the choice falls back native -> wasm -> engine for the
// right reasons. A stand-in "native" backend (the reference kernels under another name, with a
// call counter) exercises the native path whether or not the real addon is built here.
import { describe, expect, it } from "vitest";
import { getBackend, type Backend } from "../../src/engine/backend.js";
import { createReferenceBackend } from "../../src/engine/backends/reference.js";
import { CnnLstmModel, type ModelShape } from "../../src/engine/model.js";
import { Random } from "../../src/engine/random.js";
import { choosePredictor, nativeBackend, NATIVE_BACKEND, PREFERENCE } from "../../src/forecaster/inference-path.js";

const REFERENCE_SHAPE: ModelShape = { windowSize: 14, inputSize: 1, convChannels: 32, lstmHidden: 64, lstmLayers: 1, outputSize: 1 };
// Calendar features (several inputs) and a direct horizon (several outputs): no WebAssembly path.
const WIDE_SHAPE: ModelShape = { windowSize: 10, inputSize: 3, convChannels: 6, lstmHidden: 10, lstmLayers: 2, outputSize: 4 };
const TOLERANCE = 1e-5;

function standInNative(): Backend & { calls: number } {
  const kernels = createReferenceBackend();
  const backend = {
    ...kernels,
    name: "stand-in-native",
    calls: 0,
    matmulBt(...args: Parameters<Backend["matmulBt"]>) {
      backend.calls++;
      kernels.matmulBt(...args);
    },
  };
  return backend;
}

function inputs(shape: ModelShape, batch: number, seed: number, scale = 2): Float32Array {
  const rng = new Random(seed);
  return Float32Array.from({ length: batch * shape.inputSize * shape.windowSize }, () => rng.uniform(-scale, scale));
}

function largestDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let largest = 0;
  for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs(a[i] - b[i]));
  return largest;
}

const noNative = () => "no native backend in this test";

describe("choosePredictor", () => {
  it("prefers native, then WebAssembly, then the engine", () => {
    expect(PREFERENCE).toEqual(["native", "wasm", "engine"]);
  });

  it("serves from the native backend when there is one, on a copy of the weights, with the engine's answers", () => {
    const model = new CnnLstmModel(REFERENCE_SHAPE, 3, { backend: getBackend("reference") });
    const native = standInNative();
    const chosen = choosePredictor(model, { native: () => native });
    expect(chosen.kind).toBe("native");
    expect(chosen.passedOver).toEqual([]);
    for (const batch of [1, 5, 300]) {
      const x = inputs(REFERENCE_SHAPE, batch, batch);
      const before = native.calls;
      const got = chosen.predict(x, batch);
      expect(native.calls).toBeGreaterThan(before); // computed on the native backend, not the model's
      expect(largestDifference(got, model.predict(x, batch))).toBeLessThan(TOLERANCE);
    }
    // A copy: training the loaded model further does not change what is served.
    const x = inputs(REFERENCE_SHAPE, 1, 9);
    const served = chosen.predict(x, 1)[0];
    model.params.data.fill(0);
    expect(chosen.predict(x, 1)[0]).toBe(served);
  });

  it("uses the model itself when it already lives on the native backend", () => {
    const native = standInNative();
    const model = new CnnLstmModel(REFERENCE_SHAPE, 4, { backend: native });
    const chosen = choosePredictor(model, { native: () => native });
    expect(chosen.kind).toBe("native");
    const x = inputs(REFERENCE_SHAPE, 2, 1);
    expect(Array.from(chosen.predict(x, 2))).toEqual(Array.from(model.predict(x, 2)));
  });

  it("falls back to WebAssembly without a native backend, saying why, to float32 rounding of the engine", () => {
    const model = new CnnLstmModel(REFERENCE_SHAPE, 5, { backend: getBackend("reference") });
    const chosen = choosePredictor(model, { native: noNative });
    expect(chosen.kind).toBe("wasm");
    expect(chosen.passedOver).toEqual([{ kind: "native", reason: "no native backend in this test" }]);
    for (const [batch, scale] of [[1, 1], [17, 4], [256, 60]]) {
      const x = inputs(REFERENCE_SHAPE, batch, 100 + batch, scale);
      expect(largestDifference(chosen.predict(x, batch), model.predict(x, batch))).toBeLessThan(TOLERANCE);
    }
  });

  it("serves a shape WebAssembly cannot run from the native backend when there is one", () => {
    const model = new CnnLstmModel(WIDE_SHAPE, 6, { backend: getBackend("reference") });
    const chosen = choosePredictor(model, { native: () => standInNative() });
    expect(chosen.kind).toBe("native");
    const x = inputs(WIDE_SHAPE, 7, 2);
    const got = chosen.predict(x, 7);
    expect(got).toHaveLength(7 * WIDE_SHAPE.outputSize);
    expect(largestDifference(got, model.predict(x, 7))).toBeLessThan(TOLERANCE);
  });

  it("falls back to the engine for a shape WebAssembly cannot run and no native backend", () => {
    const model = new CnnLstmModel(WIDE_SHAPE, 6, { backend: getBackend("reference") });
    const chosen = choosePredictor(model, { native: noNative });
    expect(chosen.kind).toBe("engine");
    expect(chosen.passedOver.map((p) => p.kind)).toEqual(["native", "wasm"]);
    expect(chosen.passedOver[1].reason).toMatch(/inputSize 3/);
    const x = inputs(WIDE_SHAPE, 3, 4);
    expect(Array.from(chosen.predict(x, 3))).toEqual(Array.from(model.predict(x, 3)));
  });

  it('always takes the engine for inference "reference", without loading the native backend', () => {
    const model = new CnnLstmModel(REFERENCE_SHAPE, 8, { backend: getBackend("reference") });
    let asked = 0;
    const chosen = choosePredictor(model, { inference: "reference", native: () => (asked++, standInNative()) });
    expect(chosen.kind).toBe("engine");
    expect(asked).toBe(0);
    expect(chosen.passedOver.every((p) => /reference/.test(p.reason))).toBe(true);
    const x = inputs(REFERENCE_SHAPE, 4, 8);
    expect(Array.from(chosen.predict(x, 4))).toEqual(Array.from(model.predict(x, 4)));
  });

  it("does not put a float64 (gradient-check) model on the native path", () => {
    const model = CnnLstmModel.float64(REFERENCE_SHAPE, 1) as unknown as CnnLstmModel;
    const chosen = choosePredictor(model, { native: () => standInNative() });
    expect(chosen.kind).not.toBe("native");
    expect(chosen.passedOver[0].reason).toMatch(/float64/);
  });

  it("passes a wrong-sized input on to the path's own error", () => {
    const model = new CnnLstmModel(REFERENCE_SHAPE, 2, { backend: getBackend("reference") });
    for (const native of [() => standInNative(), noNative]) {
      const chosen = choosePredictor(model, { native });
      expect(() => chosen.predict(new Float32Array(13), 1)).toThrow(/13 values/);
    }
  });
});

describe("nativeBackend", () => {
  const found = nativeBackend();

  it(`finds the "${NATIVE_BACKEND}" backend or says why not`, () => {
    if (typeof found === "string") expect(found).toMatch(new RegExp(`"${NATIVE_BACKEND}"`));
    else expect(found.name).toBe(NATIVE_BACKEND);
  });

  it.runIf(typeof found !== "string")("gives the engine's answers on the real native backend", () => {
    const model = new CnnLstmModel(REFERENCE_SHAPE, 12, { backend: getBackend("reference") });
    const chosen = choosePredictor(model);
    expect(chosen.kind).toBe("native");
    for (const batch of [1, 64, 300]) {
      const x = inputs(REFERENCE_SHAPE, batch, 40 + batch, 4);
      expect(largestDifference(chosen.predict(x, batch), model.predict(x, batch))).toBeLessThan(TOLERANCE);
    }
  });
});
