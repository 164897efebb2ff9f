// Which tree learner trains a model: the one named by the caller, else the one matching the
// engine's backend (engine.backend: native when it resolves to native, else reference).

import { activeBackend } from "../backends/index.js";
import type { BinMapper, SortSample } from "./binning.js";
import type { FeatureLayout } from "./dataset.js";
import { createReferenceLearner } from "./grow-tree.js";
import type { TreeLearnerFactory } from "./learner.js";
import { createNativeLearner, nativeBinFeatures, nativeLearnerProblem, nativeSortSample } from "./native-learner.js";

export type LearnerChoice = "reference" | "native";

export interface LearnerKind {
  name: LearnerChoice;
  create: TreeLearnerFactory;
  /** A faster binFeatures (binning.ts) when the learner has one. */
  binFeatures?: (features: Float32Array, rows: number, cols: number, layout: FeatureLayout, mappers: BinMapper[]) => Uint8Array;
  /** A faster sortSample (binning.ts) when the learner has one. */
  sortSample?: SortSample;
}

let warnedFast = false;

/** `choice` "fast" is the native learner's old name, still accepted with a deprecation message. */
export function chooseLearner(choice?: LearnerChoice | "fast"): LearnerKind {
  if (choice === "fast") {
    if (!warnedFast) process.emitWarning('GBDT learner "fast" is the old name of "native"; write learner: "native"', "DeprecationWarning");
    warnedFast = true;
  }
  const name = choice === "fast" ? "native" : (choice ?? (activeBackend().name === "native" ? "native" : "reference"));
  if (name === "reference") return { name, create: createReferenceLearner };
  if (name === "native") {
    const problem = nativeLearnerProblem();
    if (problem !== undefined) throw new Error(`The native GBDT learner cannot be used: ${problem}. Or pass learner: "reference".`);
    return { name, create: createNativeLearner, binFeatures: nativeBinFeatures, sortSample: nativeSortSample };
  }
  throw new Error(`Unknown GBDT learner ${JSON.stringify(name)}; use "reference" or "native".`);
}
