import type { CommandSpec } from "./spec.js";
import { parseIntegerOption } from "./parse.js";
import { outputOption, refuseJsonOnStdout, resultBesideOutput } from "./out-option.js";

export const demoDataCommand: CommandSpec = {
  name: "demo-data",
  summary: "write the seeded demo transactions CSV (default: data.csv_path)",
  options: (command) =>
    command
      .option("--out <path>", "where to write the CSV (default: data.csv_path; - for standard output)")
      .option("--seed <n>", "random seed; the same seed writes the same bytes (default: train.seed)")
      .option("--start <date>", "first day, YYYY-MM-DD (default 2022-01-01)")
      .option("--days <n>", "number of days (default 1096: three years)"),
  async run({ config, out }, options) {
    const { writeDemoData } = await import("../data/demo.js");
    const target = await outputOption(options.out, { fallback: { path: config.data.csv_path, option: "data.csv_path" } });
    refuseJsonOnStdout(target, out);
    const seed = options.seed === undefined ? config.train.seed : parseIntegerOption("--seed", options.seed);
    out.log(`writing demo data to ${target.path === "-" ? "standard output" : target.path} (seed ${seed})`);
    const written = await writeDemoData(target.path, {
      seed,
      start: options.start as string | undefined,
      days: options.days === undefined ? undefined : parseIntegerOption("--days", options.days, 1),
      categories: config.data.available_categories.length ? config.data.available_categories : undefined,
      option: target.option,
    });
    resultBesideOutput(target, out, { path: written.path, rows: written.rows, seed }, () => `wrote ${written.rows} transactions to ${written.path === "-" ? "standard output" : written.path}`);
  },
};
