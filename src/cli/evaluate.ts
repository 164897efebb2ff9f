import type { CommandSpec } from "./spec.js";
import { evaluateCategory } from "../training/evaluate.js";
import { loadConfiguredData } from "../training/train-category.js";
import type { TrainingData } from "../training/network-config.js";
import { chosenCategory } from "./category.js";
import { formatEvaluationTable } from "../training/summary.js";

export const evaluateCommand: CommandSpec = {
  name: "evaluate",
  summary: "re-evaluate a category's served model on the current data, next to the baselines",
  options: (command) => command.option("--category <name>", "the category (default: data.item_id)"),
  async run({ config, out }, options) {
    let data: TrainingData | undefined;
    const category = await chosenCategory(config, out, options.category, async () => (data = await loadConfiguredData(config)).series.map((s) => s.category));
    const evaluation = await evaluateCategory(config, category, { data });
    out.result(evaluation, () => formatEvaluationTable(evaluation));
  },
};
