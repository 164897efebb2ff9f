// model.global_network: the settings of the global network (model.architecture=global_network,
// src/models/global_network/family.ts): one CNN+LSTM trained on windows from every series at
// once. Kept in its own file so the model schema stays one list of parts. The defaults are
// chosen on principle (docs/models.md, "The global network"), never on evaluation results.
import { z } from "zod";

const positiveInt = z.coerce.number().int().positive();

export const globalNetworkSettingsSchema = z.strictObject({
  /** Periods of history each window reads (the lag-a-year channel reads the same periods a year before). */
  window_size: positiveInt.min(3).default(28),
  /** Periods predicted at once (direct outputs); longer forecasts feed the predictions back, a block at a time. */
  horizon: positiveInt.default(7),
  /** Training loss on the scaled values: l1 (MASE is an absolute error) or quantile (pinball loss at `quantile`). */
  loss: z.enum(["l1", "quantile"]).default("l1"),
  /** The quantile the quantile loss fits (0.5 is the median, the same fit as l1). */
  quantile: z.coerce.number().gt(0).lt(1).default(0.5),
  /** A one-hot channel per training series, so the network can learn each series' own pattern; none: the series are interchangeable. */
  series_identity: z.enum(["one_hot", "none"]).default("one_hot"),
  /** With more training series than this the identity channels are left out (one channel per series would dwarf the others). */
  max_identity_series: positiveInt.default(100),
  /** Sine/cosine pairs of the position in the year (1: one yearly wave; 2 adds the half-year one). 0 = none. */
  yearly_harmonics: z.coerce.number().int().min(0).max(6).default(2),
  conv_channels: positiveInt.default(32),
  lstm_hidden: positiveInt.default(64),
  lstm_layers: positiveInt.default(1),
  lr: z.coerce.number().positive().default(0.001),
  batch_size: positiveInt.default(64),
  max_epochs: positiveInt.default(20),
  /** Early stopping: epochs without a lower held-out loss. */
  patience: positiveInt.default(4),
  /** The last holdout_horizons × horizon periods of each series are held out for early stopping. */
  holdout_horizons: positiveInt.default(2),
  /** Most training windows per epoch (the most recent of each series are kept, in equal shares); 0 = all. */
  max_windows: z.coerce.number().int().min(0).default(20000),
});

export type GlobalNetworkSettings = z.infer<typeof globalNetworkSettingsSchema>;
