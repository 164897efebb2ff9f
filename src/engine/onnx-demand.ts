// ONNX graph of a Croston-type forecast (Croston, SBA, optimised Croston, TSB) from a window:
// their rate is not affine in the window (the sizes and intervals are smoothed only where a
// demand occurs), but with the smoothing constants fitted and the history before the window
// fixed, the state at the window's start is a constant, and the W steps over the window unroll
// into elementwise operations, each period choosing with Where whether a demand occurred
// (src/models/intermittent/methods.ts has the same recursions):
//
//   Croston / SBA: occurred = x > 0; gap = since + 1
//     size     = occurred ? (has ? αd·x + (1−αd)·size : x) : size
//     interval = occurred ? (has ? αi·gap + (1−αi)·interval : gap) : interval
//     since    = occurred ? 0 : gap;  has = has or occurred
//     forecast = has ? debias · size / interval : 0
//   TSB: probability = αp·occurred + (1−αp)·probability; size as above; forecast = has ? probability · size : 0
import { AttributeType, TensorDataType } from "./onnx-proto.js";
import type { WindowGraph } from "./onnx-window-graph.js";

export type DemandRecursion =
  | {
      method: "croston";
      alphaDemand: number;
      alphaInterval: number;
      debias: number;
      /** The state after the history before the window (size and interval: 0 when there was no demand). */
      start: { size: number; interval: number; sinceDemand: number; hasDemand: boolean };
    }
  | {
      method: "tsb";
      alphaDemand: number;
      alphaProbability: number;
      start: { size: number; probability: number; hasDemand: boolean };
    };

/** Adds `recursion` run over the window to `g`; returns its output's name ([batch], double). */
export function addDemandNodes(g: WindowGraph, recursion: DemandRecursion): string {
  const windowSize = g.windowSize;
  const zero = g.constant("zero", 0);
  const smooth = (alpha: string, complement: string, value: string, state: string) =>
    g.node("Add", [g.node("Mul", [alpha, value]), g.node("Mul", [complement, state])]);
  const alphaDemand = g.constant("alpha_demand", recursion.alphaDemand);
  const keepDemand = g.constant("keep_demand", 1 - recursion.alphaDemand);
  let size = g.constant("start_size", recursion.start.size);
  let has = g.node("Greater", [g.constant("start_has_demand", recursion.start.hasDemand ? 1 : 0), zero]);
  let result: string;
  if (recursion.method === "croston") {
    const alphaInterval = g.constant("alpha_interval", recursion.alphaInterval);
    const keepInterval = g.constant("keep_interval", 1 - recursion.alphaInterval);
    let interval = g.constant("start_interval", recursion.start.interval);
    let since = g.constant("start_since_demand", recursion.start.sinceDemand);
    const one = g.constant("one", 1);
    for (let t = 0; t < windowSize; t++) {
      const x = g.column(t);
      const occurred = g.node("Greater", [x, zero]);
      const gap = g.node("Add", [since, one]);
      size = g.node("Where", [occurred, g.node("Where", [has, smooth(alphaDemand, keepDemand, x, size), x]), size]);
      interval = g.node("Where", [occurred, g.node("Where", [has, smooth(alphaInterval, keepInterval, gap, interval), gap]), interval]);
      since = g.node("Where", [occurred, zero, gap]);
      has = g.node("Or", [has, occurred]);
    }
    const rate = g.node("Div", [g.node("Mul", [g.constant("debias", recursion.debias), size]), interval]);
    result = g.node("Where", [has, rate, zero]);
  } else {
    const alphaProbability = g.constant("alpha_probability", recursion.alphaProbability);
    const keepProbability = g.constant("keep_probability", 1 - recursion.alphaProbability);
    let probability = g.constant("start_probability", recursion.start.probability);
    for (let t = 0; t < windowSize; t++) {
      const x = g.column(t);
      const occurred = g.node("Greater", [x, zero]);
      probability = smooth(
        alphaProbability,
        keepProbability,
        g.node("Cast", [occurred], [{ name: "to", type: AttributeType.INT, i: TensorDataType.DOUBLE }]),
        probability,
      );
      size = g.node("Where", [occurred, g.node("Where", [has, smooth(alphaDemand, keepDemand, x, size), x]), size]);
      has = g.node("Or", [has, occurred]);
    }
    result = g.node("Where", [has, g.node("Mul", [probability, size]), zero]);
  }
  return result;
}
