import type { CommandSpec } from "./spec.js";
import { UsageError } from "./spec.js";
import { parseIntegerOption } from "./parse.js";
import { outputOption, refuseJsonOnStdout, resultBesideOutput } from "./out-option.js";
import { STDOUT_TARGET } from "../util/output-file.js";

/** Where `--shape catalogue` writes without --out (not data.csv_path: that is the transactions demo's). */
const CATALOGUE_PATH = "data/raw/catalogue.parquet";

export const demoDataCommand: CommandSpec = {
  name: "demo-data",
  summary: "write the seeded demo transactions CSV (default: data.csv_path), or an M5-like store x item catalogue",
  options: (command) =>
    command
      .option("--shape <shape>", "transactions (the reference's columns, 3 categories) or catalogue (store x item x day, M5-like)", "transactions")
      .option(
        "--out <path>",
        `where to write (default: data.csv_path; catalogue: ${CATALOGUE_PATH}, Parquet when it ends in .parquet, else CSV; - for standard output, transactions only)`,
      )
      .option("--seed <n>", "random seed; the same seed writes the same bytes (default: train.seed)")
      .option("--start <date>", "first day, YYYY-MM-DD (default 2022-01-01; catalogue 2011-01-29)")
      .option("--days <n>", "number of days (default 1096: three years; catalogue 1941)")
      .option("--stores <n>", "catalogue: stores (default 10, over the states CA, TX, WI)")
      .option("--items <n>", "catalogue: items per store (default 3049, in M5's seven departments)"),
  async run({ config, out }, options) {
    const seed = options.seed === undefined ? config.train.seed : parseIntegerOption("--seed", options.seed);
    const days = options.days === undefined ? undefined : parseIntegerOption("--days", options.days, 1);
    if (options.shape === "catalogue") {
      const { writeCatalogue } = await import("../data/demo-catalogue.js");
      if (options.out === STDOUT_TARGET) throw new UsageError("--shape catalogue writes a file (tens of millions of rows): give --out a file name.");
      const target = await outputOption(options.out, { fallback: { path: CATALOGUE_PATH, option: "the catalogue's default path" }, binary: true });
      const stores = options.stores === undefined ? undefined : parseIntegerOption("--stores", options.stores, 1);
      const items = options.items === undefined ? undefined : parseIntegerOption("--items", options.items, 1);
      out.log(`writing the demo catalogue to ${target.path} (seed ${seed})`);
      const started = performance.now();
      const written = await writeCatalogue(target.path, { seed, stores, items, days, start: options.start as string | undefined });
      const seconds = (performance.now() - started) / 1000;
      out.result(
        { path: written.path, rows: written.rows, series: written.series, format: written.format, seed, seconds },
        () =>
          `wrote ${written.rows} rows (${written.series} series) to ${written.path} in ${seconds.toFixed(1)} s; read it with data.series_key=[store_id,item_id] data.date_column=date data.value_column=sales`,
      );
      return;
    }
    if (options.shape !== "transactions") throw new UsageError(`--shape must be transactions or catalogue, got "${String(options.shape)}".`);
    for (const flag of ["stores", "items"] as const) {
      if (options[flag] !== undefined) throw new UsageError(`--${flag} is for --shape catalogue.`);
    }
    const { writeDemoData } = await import("../data/demo.js");
    const target = await outputOption(options.out, { fallback: { path: config.data.csv_path, option: "data.csv_path" } });
    refuseJsonOnStdout(target, out);
    out.log(`writing demo data to ${target.path === "-" ? "standard output" : target.path} (seed ${seed})`);
    const written = await writeDemoData(target.path, {
      seed,
      start: options.start as string | undefined,
      days,
      categories: config.data.available_categories.length ? config.data.available_categories : undefined,
      option: target.option,
    });
    resultBesideOutput(
      target,
      out,
      { path: written.path, rows: written.rows, seed },
      () => `wrote ${written.rows} transactions to ${written.path === "-" ? "standard output" : written.path}`,
    );
  },
};
