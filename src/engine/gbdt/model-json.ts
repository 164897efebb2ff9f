// A model as JSON text and back. Reading checks everything prediction relies on (array lengths,
// child links inside the tree, feature indices, finite values), so a damaged or hand-edited file
// is refused with the place of the problem instead of predicting nonsense.

import { GBDT_MODEL_FORMAT, GBDT_MODEL_VERSION, type GbdtModel } from "./model.js";
import { resolveGbdtParams } from "./params.js";
import type { GbdtTree } from "./tree.js";

export class GbdtModelFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GbdtModelFormatError";
  }
}

export function gbdtToJson(model: GbdtModel): string {
  return JSON.stringify(model);
}

function fail(where: string, what: string): never {
  throw new GbdtModelFormatError(`Not a valid salescast GBDT model: ${where} ${what}.`);
}

function numbers(tree: Record<string, unknown>, key: string, length: number, where: string, check: (v: number) => boolean, rule: string): number[] {
  const value = tree[key];
  if (!Array.isArray(value) || value.length !== length) fail(`${where}.${key}`, `must be an array of ${length} values`);
  value.forEach((v, i) => {
    if (typeof v !== "number" || !check(v)) fail(`${where}.${key}[${i}]`, `is ${JSON.stringify(v)}, expected ${rule}`);
  });
  return value as number[];
}

function booleans(tree: Record<string, unknown>, key: string, length: number, where: string): boolean[] {
  const value = tree[key];
  if (!Array.isArray(value) || value.length !== length || value.some((v) => typeof v !== "boolean"))
    fail(`${where}.${key}`, `must be an array of ${length} booleans`);
  return value as boolean[];
}

function readTree(raw: unknown, where: string, numFeatures: number): GbdtTree {
  if (typeof raw !== "object" || raw === null) fail(where, "must be an object");
  const t = raw as Record<string, unknown>;
  const leaves = t.num_leaves;
  if (typeof leaves !== "number" || !Number.isInteger(leaves) || leaves < 1) fail(`${where}.num_leaves`, "must be a positive integer");
  const internal = leaves - 1;
  const child = (v: number) => Number.isInteger(v) && v < internal && v >= -leaves;
  const tree: GbdtTree = {
    num_leaves: leaves,
    split_feature: numbers(
      t,
      "split_feature",
      internal,
      where,
      (v) => Number.isInteger(v) && v >= 0 && v < numFeatures,
      `a feature index below ${numFeatures}`,
    ),
    threshold: numbers(t, "threshold", internal, where, Number.isFinite, "a finite number"),
    default_left: booleans(t, "default_left", internal, where),
    nan_is_missing: booleans(t, "nan_is_missing", internal, where),
    left_child: numbers(t, "left_child", internal, where, child, "a node or leaf of this tree"),
    right_child: numbers(t, "right_child", internal, where, child, "a node or leaf of this tree"),
    split_gain: numbers(t, "split_gain", internal, where, (v) => !Number.isNaN(v), "a number"),
    leaf_value: numbers(t, "leaf_value", leaves, where, Number.isFinite, "a finite number"),
    leaf_count: numbers(t, "leaf_count", leaves, where, (v) => Number.isInteger(v) && v >= 0, "a row count"),
  };
  // Every node and leaf reached exactly once from the root: no cycles, nothing unreachable.
  const seenNodes = new Uint8Array(internal);
  const seenLeaves = new Uint8Array(leaves);
  const stack = internal > 0 ? [0] : [];
  if (internal === 0) seenLeaves[0] = 1;
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seenNodes[node]) fail(where, `reaches node ${node} twice`);
    seenNodes[node] = 1;
    for (const next of [tree.left_child[node], tree.right_child[node]]) {
      if (next >= 0) stack.push(next);
      else if (seenLeaves[~next]++) fail(where, `reaches leaf ${~next} twice`);
    }
  }
  if (seenNodes.includes(0) || seenLeaves.includes(0)) fail(where, "has nodes or leaves not reachable from the root");
  return tree;
}

/** Parses and checks a model written by gbdtToJson. */
export function gbdtFromJson(text: string): GbdtModel {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new GbdtModelFormatError(`Not a valid salescast GBDT model: the text is not JSON (${error instanceof Error ? error.message : String(error)}).`);
  }
  if (typeof raw !== "object" || raw === null) fail("the top level", "must be an object");
  const m = raw as Record<string, unknown>;
  if (m.format !== GBDT_MODEL_FORMAT) fail("format", `is ${JSON.stringify(m.format)}, expected "${GBDT_MODEL_FORMAT}"`);
  if (m.version !== GBDT_MODEL_VERSION) fail("version", `is ${JSON.stringify(m.version)}; this salescast reads version ${GBDT_MODEL_VERSION}`);
  const numFeatures = m.num_features;
  if (typeof numFeatures !== "number" || !Number.isInteger(numFeatures) || numFeatures < 1) fail("num_features", "must be a positive integer");
  if (typeof m.init_score !== "number" || !Number.isFinite(m.init_score)) fail("init_score", "must be a finite number");
  if (!Array.isArray(m.feature_names) || m.feature_names.length !== numFeatures || m.feature_names.some((n) => typeof n !== "string")) {
    fail("feature_names", `must be ${numFeatures} strings`);
  }
  if (!Array.isArray(m.trees)) fail("trees", "must be an array");
  let params;
  try {
    params = resolveGbdtParams(m.params as Record<string, unknown>);
  } catch (error) {
    fail("params", `are not valid (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof m.training !== "object" || m.training === null) fail("training", "must be an object");
  return {
    format: GBDT_MODEL_FORMAT,
    version: GBDT_MODEL_VERSION,
    params,
    num_features: numFeatures,
    feature_names: m.feature_names as string[],
    init_score: m.init_score,
    trees: (m.trees as unknown[]).map((t, i) => readTree(t, `trees[${i}]`, numFeatures)),
    training: m.training as GbdtModel["training"],
  };
}
