// The ONNX nodes of a statistical version's one-step forecast from a window placed at the end of
// its stored history (the default placement), by what the model is:
//   - affine in the window (mlflow-affine.ts): window·a + c, measured and checked on the model;
//   - Croston-type (mlflow-demand.ts): the recursion unrolled over the window;
//   - ETS with a multiplicative season (mlflow-ets.ts): its state updates unrolled over the window;
//   - the GBDT (mlflow-gbdt.ts): its feature row gathered from the window and the history before
//     it, then its trees (ONNX-ML's TreeEnsembleRegressor);
//   - an ensemble that is neither as a whole (a mean of an affine member and a Croston-type one,
//     as the tournament's combined champions often are): each member's nodes, recursively, and
//     their weighted mean, the weights as combineForecasts applies them. A median has no such form.
// Anything else has no graph, and the reason says why.
import { addAffineNodes } from "../engine/onnx-affine.js";
import { addDemandNodes } from "../engine/onnx-demand.js";
import { addEtsNodes } from "../engine/onnx-ets.js";
import { addGbdtNodes } from "../engine/onnx-gbdt.js";
import type { WindowGraph } from "../engine/onnx-window-graph.js";
import { familyOf } from "../models/families.js";
import type { FittedModel, SavedModel, SeriesInput } from "../models/model.js";
import { probeAffine } from "./mlflow-affine.js";
import { demandRecursionOf } from "./mlflow-demand.js";
import { etsRecursionOf } from "./mlflow-ets.js";
import { gbdtForecastOf } from "./mlflow-gbdt.js";

export type GraphForm = "affine" | "demand" | "ets" | "gbdt" | "combination";

interface SavedEnsembleState {
  combination: string;
  members: Array<{ kind: string; saved: Omit<SavedModel, "files">; files: string[] }>;
  weights: number[] | null;
}

/**
 * Adds the nodes of `model`'s forecast (the window at the end of `stored`) to `g`; returns the
 * output's name and the graph's form, or why there is none.
 */
/**
 * Kinds whose forecast is nonlinear by construction: the affine probe could take a network's
 * forecast for affine on luck, so it is not asked. (The GBDT has its own graph, below: on the
 * pharmacy data, 2026-12-05, one GBDT series passed the probe, its forecast the same for every
 * window tried.)
 */
const NOT_AFFINE_BY_CONSTRUCTION: Record<string, string> = {
  global_network: "its forecast comes from a network over the window (nonlinear in it), and no ONNX graph of the global network is built yet",
};

export function addForecastNodes(
  g: WindowGraph,
  model: FittedModel,
  stored: SeriesInput | undefined = model.history,
): { node: string; form: GraphForm } | { reason: string } {
  const refusal = NOT_AFFINE_BY_CONSTRUCTION[model.kind];
  if (refusal !== undefined) return { reason: refusal };
  const gbdt = gbdtForecastOf(model, g.windowSize, stored);
  if (gbdt && "reason" in gbdt) return gbdt;
  if (gbdt) return { node: addGbdtNodes(g, gbdt), form: "gbdt" };
  const demand = demandRecursionOf(model, g.windowSize, stored);
  if (demand && "reason" in demand) return demand;
  if (demand) return { node: addDemandNodes(g, demand), form: "demand" };
  const probe = probeAffine(model, g.windowSize, stored);
  if (probe.status === "affine") return { node: addAffineNodes(g, probe.affine), form: "affine" };
  const ets = etsRecursionOf(model, g.windowSize, stored);
  if (ets && "reason" in ets) return ets;
  if (ets) return { node: addEtsNodes(g, ets), form: "ets" };
  if (model.kind !== "ensemble") return { reason: probe.reason };

  const state = model.save().state as SavedEnsembleState;
  if (state.combination === "median") return { reason: `${probe.reason}; a median of its members' forecasts has no graph (a mean would)` };
  const k = state.members.length;
  const weights = state.weights ?? state.members.map(() => 1 / k);
  let sum: string | undefined;
  for (const [i, member] of state.members.entries()) {
    if (member.files.length > 0) return { reason: `its member ${member.kind} keeps files (weights), which the members' graph does not read` };
    const memberModel = familyOf(member.kind).load(member.saved as SavedModel);
    const nodes = addForecastNodes(g, memberModel, stored ?? model.history);
    if ("reason" in nodes) return { reason: `its member ${familyOf(member.kind).label} (${member.kind}) has no graph: ${nodes.reason}` };
    const weighted = g.node("Mul", [nodes.node, g.constant("member_weight", weights[i])]);
    sum = sum === undefined ? weighted : g.node("Add", [sum, weighted]);
  }
  return { node: sum!, form: "combination" };
}
