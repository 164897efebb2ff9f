// The network's comparison variants in the backtest. The configured network is always a row;
// `--variants` adds networks that differ in one respect, so the backtest answers "do calendar
// features help?" and "is a direct multi-step network better than recursion?" on the same
// windows as the baselines:
//   calendar -> "cnn_lstm+calendar": model.features.day_of_week and .month switched on
//               (holidays as configured), input_size derived (1 + 4, + 1 with holidays)
//   direct   -> "cnn_lstm_direct":   model.horizon = the backtest's --horizon (H outputs at once)
//
// Each refuses to run when it would only copy the configured network (its rows would differ by
// nothing but training noise, and read as a comparison).
import type { FamilyVariant } from "../model.js";
import { NETWORK_KIND } from "./network-model.js";

export const calendarVariant: FamilyVariant = {
  name: "calendar",
  rowName: `${NETWORK_KIND}+calendar`,
  check(config) {
    if (config.model.features.day_of_week && config.model.features.month) {
      throw new RangeError("the calendar variant would copy the configured network: model.features.day_of_week and month are already on");
    }
  },
  configure(config) {
    const features = { ...config.model.features, day_of_week: true, month: true };
    return { ...config, model: { ...config.model, features, input_size: 1 } };
  },
};

export const directVariant: FamilyVariant = {
  name: "direct",
  rowName: `${NETWORK_KIND}_direct`,
  check(config, horizon) {
    if (horizon === 1) {
      throw new RangeError("the direct variant needs --horizon 2 or more: at horizon 1 a direct network is the configured one (one step at a time)");
    }
    if (config.model.horizon === horizon) {
      throw new RangeError(
        `the direct variant would copy the configured network: model.horizon is already ${horizon} (it predicts the ${horizon} steps at once)`,
      );
    }
  },
  configure(config, horizon) {
    return { ...config, model: { ...config.model, horizon } };
  },
};

export const NETWORK_VARIANTS: readonly FamilyVariant[] = [calendarVariant, directVariant];
