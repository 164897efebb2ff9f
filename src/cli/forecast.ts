// `salescast forecast [--level L] --out forecasts.parquet|.csv|-`: every series' forecast (of
// one level, or of all) with its intervals, from the catalogue model's served version (the
// forecasts `train --catalogue` stored from the end of the data; nothing is refitted).
import type { CommandSpec } from "./spec.js";
import { UsageError } from "./spec.js";
import { outputOption, refuseJsonOnStdout, resultBesideOutput } from "./out-option.js";

export const forecastCommand: CommandSpec = {
  name: "forecast",
  summary: "write every series' forecast with intervals (catalogue model, train --catalogue) to a CSV or Parquet file",
  options: (command) =>
    command
      .option("--level <label>", "one hierarchy level (e.g. total, store_id, store_id/item_id); default: every level")
      .option("--version <n>", "registry version or alias of catalogue.model_name (default: champion, else latest)")
      .option("--out <path>", "forecasts.parquet or forecasts.csv (by extension), or - for CSV on standard output"),
  async run({ config, out }, options) {
    if (options.out === undefined) throw new UsageError("give --out forecasts.parquet, --out forecasts.csv, or --out - (CSV on standard output).");
    const { formatOfPath, writeForecastTable } = await import("../training/catalogue/forecast-export.js");
    formatOfPath(String(options.out));
    const target = await outputOption(options.out, { binary: /\.parquet$/i.test(String(options.out)) });
    refuseJsonOnStdout(target, out);
    const { parseVersionRef, servedRegistry, localRegistryRoot } = await import("../registry/index.js");
    const { servedVersion } = await import("../training/evaluate.js");
    const { readCatalogueVersion } = await import("../training/catalogue/version-files.js");
    const { rowsOfLevel } = await import("../training/catalogue/forecast-table.js");
    const name = config.catalogue.model_name;
    const version = await servedVersion(servedRegistry(config), name, localRegistryRoot(config), parseVersionRef(options.version as string | undefined));
    const stored = await readCatalogueVersion(version.dir);
    const level = options.level === undefined ? undefined : String(options.level);
    const rows = rowsOfLevel(stored, level);
    const { format } = await writeForecastTable(stored, rows, target!.path);
    resultBesideOutput(
      target,
      out,
      {
        model_name: name,
        version: version.version,
        level: level ?? null,
        series: rows.length,
        rows: rows.length * stored.meta.horizon,
        format,
        path: target!.path,
        first_date: stored.meta.first_forecast_date,
      },
      () =>
        `wrote ${target!.path === "-" ? "standard output" : target!.path} (${format}): ${rows.length.toLocaleString("en-US")} series × ${stored.meta.horizon} days from ${stored.meta.first_forecast_date}, ${level ?? "every level"}, ${name} version ${version.version}`,
    );
    return 0;
  },
};
