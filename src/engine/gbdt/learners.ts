// Which tree learner trains a model: the one named by the caller, else the one matching the
// engine's active backend (SALESCAST_BACKEND, or "fast" when the native addon loads).

import { activeBackend } from "../backend.js";
import type { BinMapper, SortSample } from "./binning.js";
import type { FeatureLayout } from "./dataset.js";
import { createReferenceLearner } from "./grow-tree.js";
import type { TreeLearnerFactory } from "./learner.js";
import { createNativeLearner, nativeBinFeatures, nativeLearnerProblem, nativeSortSample } from "./native-learner.js";

export type LearnerChoice = "reference" | "fast";

export interface LearnerKind {
  name: LearnerChoice;
  create: TreeLearnerFactory;
  /** A faster binFeatures (binning.ts) when the learner has one. */
  binFeatures?: (features: Float32Array, rows: number, cols: number, layout: FeatureLayout, mappers: BinMapper[]) => Uint8Array;
  /** A faster sortSample (binning.ts) when the learner has one. */
  sortSample?: SortSample;
}

export function chooseLearner(choice?: LearnerChoice): LearnerKind {
  const name = choice ?? (activeBackend().name === "fast" ? "fast" : "reference");
  if (name === "reference") return { name, create: createReferenceLearner };
  if (name === "fast") {
    const problem = nativeLearnerProblem();
    if (problem !== undefined) throw new Error(`The fast GBDT learner cannot be used: ${problem}. Or pass learner: "reference".`);
    return { name, create: createNativeLearner, binFeatures: nativeBinFeatures, sortSample: nativeSortSample };
  }
  throw new Error(`Unknown GBDT learner ${JSON.stringify(name)}; use "reference" or "fast".`);
}
