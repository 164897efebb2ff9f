// The list of model kinds: every family salescast can fit, register and serve, and the only
// place (with each family's own folder) that names them. Training, the backtest, the registry's
// versions and serving find a family here by its kind; config/config.yaml's model.architecture
// accepts these kinds (src/config/model-kinds.ts is generated from this list: npm run
// gen:model-kinds) and "CNNLSTM", the reference's name for the network.
import type { Config } from "../config/schema.js";
import { REFERENCE_ARCHITECTURE } from "../config/model-kinds.js";
import { movingAverageFamily, naiveFamily, seasonalNaiveFamily } from "./baselines/family.js";
import { cnnLstmFamily } from "./cnn_lstm/family.js";
import { readLegacyNetwork } from "./cnn_lstm/saved.js";
import { etsFamily } from "./ets/family.js";
import { gbdtFamily } from "./gbdt/family.js";
import { globalNetworkFamily } from "./global_network/family.js";
import { holtWintersFamily } from "./holt_winters/family.js";
import { arimaFamily } from "./arima/family.js";
import { createEnsembleFamily } from "./ensemble/family.js";
import { intermittentFamily } from "./intermittent/choose-family.js";
import { crostonFamily, sbaFamily, tsbFamily } from "./intermittent/family.js";
import { mstlFamily } from "./mstl/family.js";
import { thetaFamily } from "./theta/family.js";
import type { ModelFamily } from "./model.js";

/** The ensemble combines other kinds of this list (model.ensemble.members). */
const ensembleFamily = createEnsembleFamily((kind) => familyOf(kind, "model.ensemble.members"));

export const FAMILIES: readonly ModelFamily[] = [
  cnnLstmFamily,
  naiveFamily,
  seasonalNaiveFamily,
  movingAverageFamily,
  holtWintersFamily,
  etsFamily,
  gbdtFamily,
  globalNetworkFamily,
  // The local statistical kinds (issue 17).
  thetaFamily,
  arimaFamily,
  crostonFamily,
  sbaFamily,
  tsbFamily,
  intermittentFamily,
  mstlFamily,
  ensembleFamily,
];

/** The families every trained model is compared with on the same validation targets (train, evaluate). */
export const EVALUATION_BASELINES: readonly ModelFamily[] = [naiveFamily, seasonalNaiveFamily, movingAverageFamily];

/** The baseline MASE is scaled by (in-sample, on the training part) and plots and summaries compare with. */
export const BENCHMARK: ModelFamily = seasonalNaiveFamily;

/** The families the backtest runs beside the configured model (the simple methods it must beat). */
export const BACKTEST_BASELINES: readonly ModelFamily[] = [...EVALUATION_BASELINES, holtWintersFamily];

/** "CNNLSTM" (the reference's config value) is the network. */
const ALIASES: Readonly<Record<string, ModelFamily>> = { [REFERENCE_ARCHITECTURE]: cnnLstmFamily };

/** model.json files written before model kinds hold this family's model, in the engine's checkpoint format. */
export const LEGACY_FORMAT = { family: cnnLstmFamily, read: readLegacyNetwork };

/** A kind this salescast does not know (a version written by a newer one, a typo): names the known kinds. */
export class UnknownModelKindError extends Error {
  constructor(kind: string, where: string) {
    super(
      `${where} is ${JSON.stringify(kind)}, not a model kind this salescast knows (${FAMILIES.map((f) => f.kind).join(", ")}); use the salescast version that wrote it, or retrain`,
    );
    this.name = "UnknownModelKindError";
  }
}

/** The family of a kind (or of "CNNLSTM"). */
export function familyOf(kind: string, where = "the model kind"): ModelFamily {
  const family = ALIASES[kind] ?? FAMILIES.find((f) => f.kind === kind);
  if (!family) throw new UnknownModelKindError(kind, where);
  return family;
}

/** The family model.architecture names. */
export function configuredFamily(config: Config): ModelFamily {
  return familyOf(config.model.architecture, "model.architecture");
}
