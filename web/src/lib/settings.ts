// The server's settings (GET /api/settings) for every page: the data's frequency, the currency
// and the training defaults. Loaded once by App; pages read them with useSettings().
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { ServerSettings } from "../api-types.js";

/** What a server without GET /api/settings (an older one) is taken to have: the shipped config.yaml. */
export const DEFAULT_SETTINGS: ServerSettings = {
  frequency: "D",
  currency: null,
  training: {
    windowSize: 14,
    maxEpochs: 10,
    seed: 42,
    architecture: "CNNLSTM",
    architectures: ["CNNLSTM"],
    dayOfWeek: false,
    month: false,
    minWindowSize: 3,
    maxEpochsLimit: 1000,
  },
};

export const SettingsContext = createContext<ServerSettings>(DEFAULT_SETTINGS);

export function useSettings(): ServerSettings {
  return useContext(SettingsContext);
}
