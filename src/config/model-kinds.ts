// Generated from the families list (src/models/families.ts) by npm run gen:model-kinds: do not edit.
// The config room sits below the models room in the import order, so the schema cannot import
// the list itself; tests/models/families.test.ts fails when this copy is stale.

/** Every model kind (model.architecture accepts each). */
export const MODEL_KINDS = ["cnn_lstm", "naive", "seasonal_naive", "moving_average", "holt_winters", "ets", "gbdt", "global_network", "theta", "arima", "croston", "sba", "tsb", "intermittent", "mstl", "ensemble"] as const;

/** The reference's name for the network (cnn_lstm), accepted as model.architecture and its default. */
export const REFERENCE_ARCHITECTURE = "CNNLSTM";
