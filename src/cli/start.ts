import { existsSync } from "node:fs";
import type { CommandSpec } from "./spec.js";
import { withInterrupt } from "./interrupt.js";
import { serve } from "./serve.js";
import { parseIntegerOption } from "./parse.js";

/** The demo file the shipped config points at; only this path is ever generated on its own. */
export const DEMO_DATA_PATH = "data/raw/sales_data.csv";

export const startCommand: CommandSpec = {
  name: "start",
  summary: "the main job: demo data if absent, train data.item_id if it has no model, then serve",
  options: (command) => command.option("--port <n>", "port (default: app.port)").option("--no-serve", "stop after training"),
  async run(context, options) {
    const { config, out } = context;
    const { writeDemoData } = await import("../data/demo.js");
    const { DataError } = await import("../data/errors.js");
    const { servedRegistry } = await import("../registry/index.js");
    const { ProgressDisplay } = await import("../training/progress.js");
    const { trainCategory } = await import("../training/train-category.js");
    const { chosenCategory, CommandData } = await import("./category.js");
    const path = config.data.csv_path;
    if (!existsSync(path)) {
      if (path.replace(/^\.\//, "") !== DEMO_DATA_PATH) {
        throw new DataError(
          `sales file not found: ${path}`,
          `fix data.csv_path, or remove it from the config to use the generated demo data (${DEMO_DATA_PATH}).`,
        );
      }
      out.log(`no sales data at ${path}: writing the demo data (seed ${config.train.seed})`);
      const written = await writeDemoData(path, { seed: config.train.seed });
      out.log(`wrote ${written.rows} demo transactions to ${written.path}`);
    }

    // data.item_id with a model: serve it without reading the data. Otherwise the data says which
    // category to train (a file of one series uses that series, see defaultCategory).
    const registry = servedRegistry(config);
    let category = config.data.item_id;
    let existing = await registry.resolve(category);
    const data = new CommandData(config);
    if (!existing) {
      category = await chosenCategory(config, out, undefined, data.categories);
      if (category !== config.data.item_id) existing = await registry.resolve(category);
    }
    if (existing) {
      out.log(`${category}: version ${existing.version} is registered; to retrain: node bin/salescast.js train --category ${JSON.stringify(category)}`);
    } else {
      out.log(`${category}: no model yet, training one`);
      const result = await withInterrupt(out, (signal) =>
        trainCategory(config, category, { progress: new ProgressDisplay(process.stderr), signal, data: data.loaded }),
      );
      if (result.status !== "ok" || result.heldBack) throw new Error(`training ${category} ${result.status}: ${result.reason ?? "see the log above"}`);
    }
    if (options.serve === false) return;
    await serve(context, { port: options.port === undefined ? undefined : parseIntegerOption("--port", options.port) });
  },
};
