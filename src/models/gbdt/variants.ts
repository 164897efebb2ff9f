// The gbdt kind's comparison variants in the backtest (--variants), each one setting changed so
// that the selection windows (the tournament's, or a user's backtest) decide between them:
//   direct -> "gbdt_direct": one model per step up to the backtest's --horizon (nothing fed back)
//   l2     -> "gbdt_l2":     squared-error loss instead of the configured one
// Each refuses to run when it would only copy the configured model.
import type { FamilyVariant } from "../model.js";

export const gbdtDirectVariant: FamilyVariant = {
  name: "direct",
  rowName: "gbdt_direct",
  check(config) {
    if (config.model.gbdt.strategy === "direct")
      throw new RangeError("the direct variant would copy the configured GBDT: model.gbdt.strategy is already direct");
  },
  configure(config, horizon) {
    return { ...config, model: { ...config.model, gbdt: { ...config.model.gbdt, strategy: "direct", horizon } } };
  },
};

export const gbdtL2Variant: FamilyVariant = {
  name: "l2",
  rowName: "gbdt_l2",
  check(config) {
    if (config.model.gbdt.loss === "l2") throw new RangeError("the l2 variant would copy the configured GBDT: model.gbdt.loss is already l2");
  },
  configure(config) {
    return { ...config, model: { ...config.model, gbdt: { ...config.model.gbdt, loss: "l2" } } };
  },
};

export const GBDT_VARIANTS: readonly FamilyVariant[] = [gbdtDirectVariant, gbdtL2Variant];
