import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CheckpointError, saveCheckpoint, type NormalizationStats } from "../../src/engine/checkpoint.js";
import { CnnLstmModel, type ModelShape } from "../../src/engine/model.js";
import { exportOnnx, ONNX_INPUT_NAME, ONNX_OUTPUT_NAME, reorderGatesToOnnx } from "../../src/engine/onnx.js";
import { exportOnnxFile } from "../../src/engine/onnx-file.js";
import { decodeModelProto } from "../../src/engine/onnx-proto.js";

const NORMALIZATION: NormalizationStats = { mean: 840.5, std: 212.25 };
const ONE_LAYER: ModelShape = { windowSize: 14, inputSize: 1, convChannels: 8, lstmHidden: 16, lstmLayers: 1, outputSize: 1 };
const TWO_LAYERS: ModelShape = { windowSize: 14, inputSize: 1, convChannels: 8, lstmHidden: 16, lstmLayers: 2, outputSize: 1 };

/** Sales-unit windows: a positive level plus noise, float32. */
function salesWindows(batch: number, windowSize: number, seed: number): Float32Array {
  const x = new Float32Array(batch * windowSize);
  let s = seed;
  for (let i = 0; i < x.length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    x[i] = NORMALIZATION.mean + (s / 2147483648 - 0.5) * 4 * NORMALIZATION.std;
  }
  return x;
}

/** The engine path in sales units, with the convention documented in checkpoint.ts. */
function engineForecast(model: CnnLstmModel, sales: Float32Array, batch: number, { mean, std }: NormalizationStats): Float64Array {
  const z = Float32Array.from(sales, (v) => (v - mean) / std);
  return Float64Array.from(model.predict(z, batch), (v) => v * std + mean);
}

async function runOnnx(bytes: Uint8Array, sales: Float32Array, dims: number[]): Promise<ort.Tensor> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const result = await session.run({ [ONNX_INPUT_NAME]: new ort.Tensor("float32", sales, dims) });
    return result[ONNX_OUTPUT_NAME];
  } finally {
    await session.release();
  }
}

function maxRelativeDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(Math.abs(expected[i]), 1e-12));
  }
  return worst;
}

describe("exportOnnx", () => {
  for (const [label, shape, seed] of [
    ["1 layer", ONE_LAYER, 3],
    ["2 layers", TWO_LAYERS, 4],
  ] as const) {
    it(`matches the engine in onnxruntime (${label}, batch 1 and 5)`, async () => {
      const model = new CnnLstmModel(shape, seed);
      const bytes = exportOnnx(model, NORMALIZATION);
      for (const batch of [1, 5]) {
        const sales = salesWindows(batch, shape.windowSize, seed * 10 + batch);
        const output = await runOnnx(bytes, sales, [batch, shape.windowSize]);
        expect(output.dims).toEqual([batch]);
        const expected = engineForecast(model, sales, batch, NORMALIZATION);
        const diff = maxRelativeDifference(output.data as Float32Array, expected);
        console.log(`ONNX vs engine, ${label}, batch ${batch}: max relative difference ${diff.toExponential(2)}`);
        expect(diff).toBeLessThanOrEqual(1e-5);
        // The forecast really is in sales units (not z-scores): around the mean, not around 0.
        expect(Math.abs((output.data as Float32Array)[0] - NORMALIZATION.mean)).toBeLessThan(10 * NORMALIZATION.std);
      }
    });
  }

  it("handles outputSize > 1 and inputSize > 1 ([batch, inputSize, window] in, [batch, out] out)", async () => {
    const shape: ModelShape = { windowSize: 6, inputSize: 2, convChannels: 3, lstmHidden: 4, lstmLayers: 1, outputSize: 2 };
    const model = new CnnLstmModel(shape, 8);
    const batch = 3;
    const sales = salesWindows(batch, shape.inputSize * shape.windowSize, 5);
    const output = await runOnnx(exportOnnx(model, NORMALIZATION), sales, [batch, shape.inputSize, shape.windowSize]);
    expect(output.dims).toEqual([batch, shape.outputSize]);
    const diff = maxRelativeDifference(output.data as Float32Array, engineForecast(model, sales, batch, NORMALIZATION));
    console.log(`ONNX vs engine, inputSize 2 outputSize 2: max relative difference ${diff.toExponential(2)}`);
    expect(diff).toBeLessThanOrEqual(1e-5);
  });

  it("declares input 'series' [batch, window] and output 'forecast' [batch], ir_version 8, opset 17", async () => {
    const bytes = exportOnnx(new CnnLstmModel(ONE_LAYER, 1), NORMALIZATION);
    const session = await ort.InferenceSession.create(bytes);
    expect(session.inputNames).toEqual(["series"]);
    expect(session.outputNames).toEqual(["forecast"]);
    await session.release();

    const proto = decodeModelProto(bytes) as any;
    expect(proto.ir_version).toBe(8);
    expect(proto.opset_import).toEqual([{ domain: "", version: 17 }]);
    expect(proto.producer_name).toBe("salescast");
    const dims = (valueInfo: any) => valueInfo.type.tensor_type.shape.dim;
    expect(dims(proto.graph.input[0])).toEqual([{ dim_param: "batch" }, { dim_value: 14 }]);
    expect(dims(proto.graph.output[0])).toEqual([{ dim_param: "batch" }]);
    expect(proto.graph.node.map((n: any) => n.op_type)).toEqual([
      "Sub",
      "Div",
      "Unsqueeze",
      "Conv",
      "Relu",
      "Transpose",
      "LSTM",
      "Squeeze",
      "Gemm",
      "Squeeze",
      "Mul",
      "Add",
    ]);
    const metadata = Object.fromEntries(proto.metadata_props.map((p: any) => [p.key, p.value]));
    expect(metadata).toMatchObject({ normalization_mean: "840.5", normalization_std: "212.25", window_size: "14" });
  });

  it("reorders LSTM gates from PyTorch (i, f, g, o) to ONNX (i, o, f, c)", () => {
    // hidden 1, 2 columns: each gate block is two values tagged with the gate's number.
    const pytorch = new Float32Array([1, 1, 2, 2, 3, 3, 4, 4]); // i f g o
    expect(Array.from(reorderGatesToOnnx(pytorch, 1, 2))).toEqual([1, 1, 4, 4, 2, 2, 3, 3]); // i o f g
    expect(() => reorderGatesToOnnx(pytorch, 2, 2)).toThrow(/expected 16 values/);
  });

  it("refuses bad options and normalisation", () => {
    const model = new CnnLstmModel(ONE_LAYER, 1);
    expect(() => exportOnnx(model, NORMALIZATION, { opset: 12 })).toThrow(/opset must be an integer >= 14, got 12/);
    expect(() => exportOnnx(model, { mean: 1, std: 0 })).toThrow(/positive finite std, got mean=1 std=0/);
    expect(() => exportOnnx(model, { mean: Number.NaN, std: 1 })).toThrow(/finite mean/);
  });
});

describe("exportOnnxFile", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "salescast-onnx-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("exports a saved checkpoint to a runnable .onnx file, atomically", async () => {
    const model = new CnnLstmModel(TWO_LAYERS, 6);
    const checkpointDir = join(dir, "ckpt");
    await saveCheckpoint(checkpointDir, model, {
      normalization: NORMALIZATION,
      data: { file: "s.csv", sha256: "0".repeat(64), category: "Beauty", start: "2023-01-01", end: "2023-12-31", frequency: "D" },
    });
    const outPath = join(dir, "out", "beauty.onnx");
    await exportOnnxFile(checkpointDir, outPath);
    expect(await readdir(join(dir, "out"))).toEqual(["beauty.onnx"]);

    const bytes = await readFile(outPath);
    expect((decodeModelProto(bytes) as any).producer_version).toMatch(/^\d+\.\d+\.\d+/);
    const sales = salesWindows(4, 14, 77);
    const output = await runOnnx(bytes, sales, [4, 14]);
    const diff = maxRelativeDifference(output.data as Float32Array, engineForecast(model, sales, 4, NORMALIZATION));
    console.log(`exportOnnxFile vs engine: max relative difference ${diff.toExponential(2)}`);
    expect(diff).toBeLessThanOrEqual(1e-5);
  });

  it("fails with the checkpoint's own error when there is no checkpoint, writing nothing", async () => {
    const outPath = join(dir, "none", "x.onnx");
    await expect(exportOnnxFile(join(dir, "missing"), outPath)).rejects.toThrow(CheckpointError);
    await expect(readdir(join(dir, "none"))).rejects.toThrow(/ENOENT/);
  });
});
