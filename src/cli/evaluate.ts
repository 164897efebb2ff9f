import type { CommandSpec } from "./spec.js";

export const evaluateCommand: CommandSpec = {
  name: "evaluate",
  summary: "re-evaluate a category's served model on the current data, next to the baselines",
  options: (command) => command.option("--category <name>", "the category (default: data.item_id)"),
  async run({ config, out }, options) {
    const { evaluateCategory } = await import("../training/evaluate.js");
    const { formatEvaluationTable } = await import("../training/summary.js");
    const category = (options.category as string | undefined) ?? config.data.item_id;
    const evaluation = await evaluateCategory(config, category);
    out.result(evaluation, () => formatEvaluationTable(evaluation));
  },
};
