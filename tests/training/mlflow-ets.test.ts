// ETS models with a multiplicative season are not affine in the window; their state updates are
// unrolled into ONNX nodes (src/engine/onnx-ets.ts, src/training/mlflow-ets.ts). Each shape's
// graph, run in onnxruntime-node, forecasts what the ETS model itself does from the stored
// history with the window in place of its last periods, for windows at and far from the data.
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { WindowGraph } from "../../src/engine/onnx-window-graph.js";
import { fitEts } from "../../src/models/ets/index.js";
import { etsFamily } from "../../src/models/ets/family.js";
import { historyState, historyWithWindowAtEnd } from "../../src/models/history.js";
import type { SeriesInput } from "../../src/models/model.js";
import { addForecastNodes } from "../../src/training/mlflow-graph.js";

const W = 7;
// A weekly pattern whose amplitude grows with the level: what a multiplicative season is for.
const values = Float64Array.from({ length: 140 }, (_, i) => (50 + i) * [1, 1.3, 0.8, 1.1, 1.6, 0.5, 0.7][i % 7] * (1 + 0.05 * Math.sin(i * 1.7)));
const history: SeriesInput = { name: "A", start: "2024-01-01", frequency: "D", values };

describe("the ONNX graph of an ETS model with a multiplicative season", () => {
  it.each(["MNM", "MAM", "MAdM"])("ETS %s: the unrolled recursion forecasts what the model does", async (spec) => {
    const fit = fitEts(values, { period: 7, model: spec.replace("Ad", "A"), ...(spec.includes("Ad") ? { damped: true } : {}) });
    expect(fit.components.season).toBe("M");
    const model = etsFamily.load({ kind: "ets", format_version: 1, state: { fit, history: historyState(history) } });
    const graph = new WindowGraph(W);
    const nodes = addForecastNodes(graph, model);
    expect(nodes).toMatchObject({ form: "ets" });
    if ("reason" in nodes) return;
    const session = await ort.InferenceSession.create(graph.encode(nodes.node, { name: "test", docString: "", metadata: {} }));
    const windows = [Array.from(values.slice(-W)), Array.from(values.slice(30, 30 + W)), [0, 12, 400, 3, 95, 0.5, 180], [500, 520, 480, 510, 505, 490, 515]];
    const output = await session.run({ series: new ort.Tensor("float32", Float32Array.from(windows.flat()), [windows.length, W]) });
    const got = output.forecast.data as Float32Array;
    windows.forEach((window, b) => {
      const expected = model.forecast(historyWithWindowAtEnd(history, window), 1)[0];
      expect(Math.abs(got[b] - expected), `window ${b}: onnx ${got[b]}, ETS ${expected}`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(expected)));
    });
  });
});
