// The server's settings (GET /api/settings) for every page: the data's frequency, the currency
// and the training defaults. Loaded once by App; pages read them with useSettings().
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { ServerSettings } from "../api-types.js";

/** What a server without GET /api/settings (an older one) is taken to have: the shipped config.yaml. */
export const DEFAULT_SETTINGS: ServerSettings = {
  default_category: "Beauty",
  frequency: "D",
  currency: null,
  training: {
    window_size: 14,
    max_epochs: 10,
    seed: 42,
    architecture: "auto",
    architectures: [
      "CNNLSTM",
      "auto",
      "cnn_lstm",
      "naive",
      "seasonal_naive",
      "moving_average",
      "holt_winters",
      "ets",
      "gbdt",
      "global_network",
      "theta",
      "arima",
      "croston",
      "sba",
      "tsb",
      "intermittent",
      "mstl",
      "ensemble",
    ],
    features: { day_of_week: false, month: false },
    limits: { min_window_size: 3, max_epochs: 1000 },
  },
};

export const SettingsContext = createContext<ServerSettings>(DEFAULT_SETTINGS);

export function useSettings(): ServerSettings {
  return useContext(SettingsContext);
}
