// A trained network's version folder is an MLflow model (src/training/mlflow-model.ts): MLmodel
// with the onnx and python_function flavours and the signature, and a model.onnx that forecasts
// in sales units what salescast's own forecaster does (run here in onnxruntime-node; the Python
// side, mlflow.pyfunc.load_model, is tests/mlflow/pyfunc-model.test.ts). A version the graph cannot
// express (a GBDT that reads covariates) writes no MLmodel and its run says why (the statistical
// kinds' and the GBDT's graphs: mlflow-model-kinds.test.ts).
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { loadSales } from "../../src/data/ingest.js";
import type { SalesData } from "../../src/data/types.js";
import { SalesForecaster } from "../../src/forecaster/index.js";
import { LocalRegistry } from "../../src/registry/index.js";
import { openTrackingStore } from "../../src/tracking/index.js";
import { trainCategory } from "../../src/training/train-category.js";
import { dailyDates, syntheticSeries, tinyConfig, writeSalesCsv } from "./helpers.js";

let root: string;
let data: SalesData;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "salescast-mlmodel-"));
  await writeSalesCsv(join(root, "sales.csv"), { categories: ["Beauty", "Toys"], days: 120 });
  data = await loadSales(tinyConfig({ root }).data);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("the MLflow model of a version", () => {
  it("is written for the network: MLmodel, signature, and an ONNX graph that forecasts like salescast", async () => {
    const config = tinyConfig({ root, maxEpochs: 2 });
    const result = await trainCategory(config, "Beauty", { data });
    expect(result.status, result.reason).toBe("ok");
    const version = (await new LocalRegistry(join(root, "checkpoints")).resolve("Beauty"))!;

    const mlmodel = parseYaml(await readFile(join(version.dir, "MLmodel"), "utf8")) as {
      flavors: { onnx: { data: string }; python_function: { loader_module: string; data: string; env: Record<string, string> } };
      signature: { inputs: string; outputs: string };
      metadata: { category: string; window_size: number };
    };
    expect(Object.keys(mlmodel.flavors).sort()).toEqual(["onnx", "python_function"]);
    expect(mlmodel.flavors.python_function).toMatchObject({ loader_module: "mlflow.onnx", data: "model.onnx" });
    expect(mlmodel.flavors.onnx.data).toBe("model.onnx");
    for (const file of Object.values(mlmodel.flavors.python_function.env)) expect(existsSync(join(version.dir, file)), file).toBe(true);
    expect(existsSync(join(version.dir, "requirements.txt"))).toBe(true);
    expect(JSON.parse(mlmodel.signature.inputs)).toEqual([{ type: "tensor", "tensor-spec": { dtype: "float32", shape: [-1, 7] }, name: "series" }]);
    expect(JSON.parse(mlmodel.signature.outputs)).toEqual([{ type: "tensor", "tensor-spec": { dtype: "float32", shape: [-1] }, name: "forecast" }]);
    expect(mlmodel.metadata).toMatchObject({ category: "Beauty", window_size: 7 });

    // The graph the flavours name: sales units in and out, the forecaster's answer.
    const forecaster = await SalesForecaster.fromRegistered(version);
    const window = Array.from(data.series[0].values.slice(50, 57));
    const session = await ort.InferenceSession.create(join(version.dir, "model.onnx"));
    const output = await session.run({ series: new ort.Tensor("float32", Float32Array.from(window), [1, 7]) });
    const expected = forecaster.forecast(window);
    expect(Math.abs((output.forecast.data as Float32Array)[0] - expected)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(expected)));

    const run = await openTrackingStore(config.tracking.uri).getRun(result.runId!);
    expect(run.tags.mlflow_model).toBe("onnx");
  });

  it("is not written for a GBDT whose trees read a covariate (the window input does not carry it), and the run says why", async () => {
    // Toys with a promotion flag: sales 40% higher on promotion days.
    const days = dailyDates(120);
    const sales = syntheticSeries(120, 3);
    const lines = [
      "Date,Product Category,Total Amount,Promo",
      ...days.map((date, i) => `${date},Toys,${(sales[i] * (i % 6 === 0 ? 1.4 : 1)).toFixed(2)},${i % 6 === 0 ? 1 : 0}`),
    ];
    await writeFile(join(root, "promo.csv"), `${lines.join("\n")}\n`);
    const base = tinyConfig({ root: join(root, "promo") });
    const config = {
      ...base,
      data: { ...base.data, csv_path: join(root, "promo.csv") },
      model: { ...base.model, architecture: "gbdt" as const, features: { ...base.model.features, covariates: ["Promo"] } },
    };
    const result = await trainCategory(config, "Toys");
    expect(result.status, result.reason).toBe("ok");
    const version = (await new LocalRegistry(join(root, "promo", "checkpoints")).resolve("Toys"))!;
    expect(existsSync(join(version.dir, "model.json"))).toBe(true);
    for (const file of ["MLmodel", "model.onnx", "requirements.txt"]) expect(existsSync(join(version.dir, file)), file).toBe(false);
    const run = await openTrackingStore(config.tracking.uri).getRun(result.runId!);
    expect(run.tags.mlflow_model).toBe("none");
    expect(run.tags.mlflow_model_reason).toMatch(
      /the Toys model is a GBDT model \(gbdt\): its trees read covariates \(Promo\) at the forecast period, which an MLflow model's window input does not carry/,
    );
  });
});
