import type { CommandSpec } from "./spec.js";

export const evaluateCommand: CommandSpec = {
  name: "evaluate",
  summary: "re-evaluate a category's served model on the current data, next to the baselines",
  options: (command) => command.option("--category <name>", "the category (default: data.item_id)"),
  async run({ config, out }, options) {
    const { evaluateCategory } = await import("../training/evaluate.js");
    const { formatEvaluationTable } = await import("../training/summary.js");
    const { evaluationJson } = await import("../training/result-json.js");
    const { chosenCategory, CommandData } = await import("./category.js");
    const data = new CommandData(config);
    const category = await chosenCategory(config, out, options.category, data.categories);
    const evaluation = await evaluateCategory(config, category, { data: data.loaded });
    out.result(evaluationJson(evaluation), () => formatEvaluationTable(evaluation));
  },
};
