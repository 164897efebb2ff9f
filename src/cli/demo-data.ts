import type { CommandSpec } from "./spec.js";
import { writeDemoData } from "../data/demo.js";
import { parseIntegerOption } from "./parse.js";

export const demoDataCommand: CommandSpec = {
  name: "demo-data",
  summary: "write the seeded demo transactions CSV (default: data.csv_path)",
  options: (command) =>
    command
      .option("--out <path>", "where to write the CSV (default: data.csv_path)")
      .option("--seed <n>", "random seed; the same seed writes the same bytes (default: train.seed)")
      .option("--start <date>", "first day, YYYY-MM-DD (default 2022-01-01)")
      .option("--days <n>", "number of days (default 1096: three years)"),
  async run({ config, out }, options) {
    const path = (options.out as string | undefined) ?? config.data.csv_path;
    const seed = options.seed === undefined ? config.train.seed : parseIntegerOption("--seed", options.seed);
    out.log(`writing demo data to ${path} (seed ${seed})`);
    const written = await writeDemoData(path, {
      seed,
      start: options.start as string | undefined,
      days: options.days === undefined ? undefined : parseIntegerOption("--days", options.days, 1),
      categories: config.data.available_categories.length ? config.data.available_categories : undefined,
    });
    out.result({ path: written.path, rows: written.rows, seed }, () => `wrote ${written.rows} transactions to ${written.path}`);
  },
};
