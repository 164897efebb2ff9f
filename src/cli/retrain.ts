// `salescast retrain`: one round of scheduled retraining by hand (src/server/retrain/): the
// served categories whose data changed are retrained, and a new version replaces the champion
// only when it forecasts the last schedule.recent_periods periods better (else "challenger").
import type { CommandSpec } from "./spec.js";
import { withInterrupt } from "./interrupt.js";

export const retrainCommand: CommandSpec = {
  name: "retrain",
  summary: "retrain the served categories whose data changed; promote a new version only if it beats the champion on recent periods",
  options: (command) => command,
  async run({ config, out }) {
    const { servedRegistry } = await import("../registry/index.js");
    const { trackingStoreFor } = await import("../tracking/index.js");
    const { loadSales } = await import("../data/ingest.js");
    const { trainAll } = await import("../training/train-all.js");
    const { ProgressDisplay } = await import("../training/progress.js");
    const { SalesForecaster } = await import("../forecaster/sales-forecaster.js");
    const { retrainRound, retrainStatePath, formatOutcome } = await import("../server/retrain/retrain-round.js");
    const store = trackingStoreFor(config);
    const progress = new ProgressDisplay(process.stderr);
    const outcomes = await withInterrupt(out, (signal) =>
      retrainRound({
        registry: servedRegistry(config, store),
        loadData: () => loadSales(config.data),
        train: (categories, data) => trainAll(config, categories, { data, progress, signal, store }),
        load: (info) => SalesForecaster.fromRegistered(info),
        statePath: retrainStatePath(config),
        recentPeriods: config.schedule.recent_periods,
        store,
      }),
    );
    out.result({ outcomes }, () =>
      outcomes.length === 0 ? "no category has a served model: train first (salescast train)" : outcomes.map(formatOutcome).join("\n"),
    );
    return outcomes.some((o) => o.status === "failed") ? 1 : 0;
  },
};
