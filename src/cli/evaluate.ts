import type { CommandSpec } from "./spec.js";
import { evaluateCategory } from "../training/evaluate.js";
import { formatTable } from "./output.js";
import type { ForecastMetrics } from "../training/metrics.js";

export const evaluateCommand: CommandSpec = {
  name: "evaluate",
  summary: "re-evaluate a category's registered model on the current data, next to the baselines",
  options: (command) => command.option("--category <name>", "the category (default: data.item_id)"),
  async run({ config, out }, options) {
    const category = (options.category as string | undefined) ?? config.data.item_id;
    const evaluation = await evaluateCategory(config, category);
    out.result(evaluation, () => {
      const row = (name: string, m: ForecastMetrics) => [name, m.rmse.toFixed(2), m.mae.toFixed(2), m.smape.toFixed(2), m.mase.toFixed(3)];
      const rows = [row("CNN+LSTM", evaluation.metrics), ...Object.entries(evaluation.baselines).map(([name, m]) => row(name, m))];
      return [
        `${category}, version ${evaluation.version}: ${evaluation.targets} validation periods ${evaluation.from} .. ${evaluation.to}` +
          (evaluation.dataChanged ? " (the data file changed since training)" : ""),
        formatTable(["model", "RMSE", "MAE", "sMAPE %", "MASE"], rows),
      ].join("\n");
    });
  },
};
