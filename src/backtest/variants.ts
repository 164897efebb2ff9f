// The network's comparison variants in the backtest. "cnn_lstm" is always the network as
// configured; `--variants` adds networks that differ in one respect, so the backtest answers
// "do calendar features help?" and "is a direct multi-step network better than recursion?"
// on the same windows as the baselines:
//   calendar -> "cnn_lstm+calendar": model.features.day_of_week and .month switched on
//               (holidays as configured), input_size derived (1 + 4, + 1 with holidays)
//   direct   -> "cnn_lstm_direct":   model.horizon = the backtest's --horizon (H outputs at once)
import type { Config } from "../config/schema.js";

export const NETWORK_VARIANTS = ["calendar", "direct"] as const;
export type NetworkVariant = (typeof NETWORK_VARIANTS)[number];

export interface VariantNetwork {
  /** Model name in the rows: "cnn_lstm", "cnn_lstm+calendar", "cnn_lstm_direct". */
  name: string;
  config: Config;
}

/** The name of the network as configured (the rows' first model). */
export const BASE_NETWORK = "cnn_lstm";

/** "calendar,direct" -> ["calendar", "direct"]; anything else is refused, naming the choices. */
export function parseVariants(text: string): NetworkVariant[] {
  const names = text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
  const out: NetworkVariant[] = [];
  for (const name of names) {
    if (!(NETWORK_VARIANTS as readonly string[]).includes(name)) {
      throw new RangeError(`unknown network variant "${name}": choose from ${NETWORK_VARIANTS.join(", ")} (comma-separated, e.g. calendar,direct)`);
    }
    if (!out.includes(name as NetworkVariant)) out.push(name as NetworkVariant);
  }
  return out;
}

/**
 * Refuses a variant that would only be a copy of the configured network (its rows would differ
 * by nothing but training noise, and read as a comparison): "direct" when the backtest's horizon
 * is 1 or the configured model.horizon already equals it; "calendar" when the configured network
 * already has day-of-week and month features.
 */
export function checkVariants(config: Config, variants: readonly NetworkVariant[], horizon: number): void {
  if (variants.includes("direct") && horizon === 1) {
    throw new RangeError("the direct variant needs --horizon 2 or more: at horizon 1 a direct network is the configured one (one step at a time)");
  }
  if (variants.includes("direct") && config.model.horizon === horizon) {
    throw new RangeError(`the direct variant would copy the configured network: model.horizon is already ${horizon} (it predicts the ${horizon} steps at once)`);
  }
  if (variants.includes("calendar") && config.model.features.day_of_week && config.model.features.month) {
    throw new RangeError("the calendar variant would copy the configured network: model.features.day_of_week and month are already on");
  }
}

/** The networks to fit: the configured one first, then one per variant, in the order given. */
export function variantNetworks(config: Config, variants: readonly NetworkVariant[], horizon: number): VariantNetwork[] {
  checkVariants(config, variants, horizon);
  const out: VariantNetwork[] = [{ name: BASE_NETWORK, config }];
  for (const variant of variants) {
    if (variant === "calendar") {
      const features = { ...config.model.features, day_of_week: true, month: true };
      out.push({ name: `${BASE_NETWORK}+calendar`, config: { ...config, model: { ...config.model, features, input_size: 1 } } });
    } else {
      out.push({ name: `${BASE_NETWORK}_direct`, config: { ...config, model: { ...config.model, horizon } } });
    }
  }
  return out;
}
