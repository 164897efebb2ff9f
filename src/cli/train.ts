import type { CommandSpec } from "./spec.js";
import { UsageError } from "./spec.js";
import type { CategoryResult } from "../training/result.js";
import { withInterrupt } from "./interrupt.js";

export const trainCommand: CommandSpec = {
  name: "train",
  summary: "train model.architecture (auto: a tournament per category picks the model) for data.item_id, --category X, or --all categories in parallel",
  options: (command) =>
    command
      .option("--category <name>", "train this category (default: data.item_id)")
      .option("--all", "train every category (data.available_categories, or all in the data when empty)")
      .option("--auto", "model.architecture=auto: backtest every candidate (model.auto), train and register each category's champion")
      .option(
        "--catalogue",
        "a catalogue (data.series_key + data.hierarchy) as ONE model: the global GBDT on every series, reconciled levels, one registry version (catalogue.*)",
      ),
  async run({ config: configured, out }, options) {
    const { AUTO_ARCHITECTURE } = await import("../config/schema.js");
    const config = options.auto ? { ...configured, model: { ...configured.model, architecture: AUTO_ARCHITECTURE } } : configured;
    const category = options.category as string | undefined;
    if (options.catalogue) {
      if (category !== undefined || options.all || options.auto)
        throw new UsageError("--catalogue trains the whole catalogue as one model: give it without --category, --all or --auto.");
      const { trainCatalogueCommand } = await import("./train-catalogue.js");
      return trainCatalogueCommand(configured, out);
    }
    if (category !== undefined && options.all) {
      throw new UsageError("give either --category X or --all, not both.");
    }
    const { backendDescription } = await import("../engine/backends/index.js");
    const { ProgressDisplay } = await import("../training/progress.js");
    const { trainAll } = await import("../training/train-all.js");
    const { trainCategory } = await import("../training/train-category.js");
    const { formatSummaryTable } = await import("../training/summary.js");
    const { trainedResultJson } = await import("../training/result-json.js");
    const { chosenCategory, CommandData } = await import("./category.js");
    out.log(`engine backend: ${backendDescription()}`);
    const progress = new ProgressDisplay(process.stderr);
    const started = performance.now();
    // Without --category the data is read first: data.item_id is resolved against it (and the
    // training reuses it).
    const data = new CommandData(config);
    // With queue.url set, --all goes to the queue's workers (src/queue/); otherwise this process's threads.
    const trainEvery = async (categories: string[] | undefined, signal: AbortSignal) => {
      if (!config.queue.url) return trainAll(config, categories, { progress, signal });
      const { trainAllOnQueue } = await import("../queue/train-all.js");
      return trainAllOnQueue(config, categories, { progress, signal, log: (line) => out.log(line) });
    };
    const chosen = options.all ? undefined : await chosenCategory(config, out, category, data.categories);
    const results: CategoryResult[] = await withInterrupt(out, (signal) =>
      chosen === undefined
        ? trainEvery(config.data.available_categories.length ? config.data.available_categories : undefined, signal)
        : trainCategory(config, chosen, { progress, signal, data: data.loaded }).then((result) => [result]),
    );
    const seconds = (performance.now() - started) / 1000;
    out.result({ seconds, categories: results.map(trainedResultJson) }, () => `${formatSummaryTable(results)}\n\ntotal ${seconds.toFixed(1)} s`);
    // Skipped categories are reported, not errors; a failed one, or a model held back (registered
    // but not served, see src/training/promotion.ts), makes the exit status say so.
    return results.some((result) => result.status === "failed" || result.heldBack !== undefined) ? 1 : 0;
  },
};
