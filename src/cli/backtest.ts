import type { CommandSpec } from "./spec.js";
import { UsageError } from "./spec.js";
import type { RefitMode } from "../backtest/backtest.js";
import { writeOutputFile } from "../util/output-file.js";
import { outputOption, refuseJsonOnStdout, resultBesideOutput } from "./out-option.js";
import { parseIntegerOption } from "./parse.js";
import { withInterrupt } from "./interrupt.js";

export const backtestCommand: CommandSpec = {
  name: "backtest",
  summary:
    "walk-forward evaluation over several cutoffs: the configured model (or, --auto, every candidate and the tournament's champion) vs every baseline, per step ahead",
  options: (command) =>
    command
      .option("--category <name>", "backtest this category (default: data.item_id)")
      .option("--all", "backtest every category (data.available_categories, or all in the data when empty)")
      .option("--horizon <n>", "steps forecast from each cutoff", "7")
      .option("--windows <n>", "number of cutoffs", "4")
      .option("--step <n>", "periods between two cutoffs (default: the horizon)")
      .option("--refit <mode>", "every: fit every model again at each cutoff; once: fit before the first cutoff only", "once")
      .option(
        "--auto",
        "the tournament (model.architecture auto): every candidate and the row auto, each series' champion chosen on model.auto.selection_windows earlier windows; --windows are the evaluation windows (always refit every)",
      )
      .option(
        "--variants <list>",
        "also backtest variants of the configured model: the network's calendar (day of week + month features) and direct (H outputs at once), e.g. calendar,direct; the GBDT's direct (one model per step) and l2",
      )
      .option(
        "--out <file.csv>",
        "also write every forecast row (category, model, cutoff, step, date, forecast, actual, error, then lo_<level>,hi_<level> where intervals were calibrated) as CSV (- for standard output; the report then goes to stderr)",
      ),
  async run({ config, out }, options) {
    const target = await outputOption(options.out); // before any work: a bad --out is refused at once
    refuseJsonOnStdout(target, out);
    const { backtest, parseVariants, checkVariants } = await import("../backtest/backtest.js");
    const { backtestJson, backtestRowsCsv, formatBacktestReport } = await import("../backtest/format.js");
    const { chosenCategory, CommandData } = await import("./category.js");
    const category = options.category as string | undefined;
    if (category !== undefined && options.all) throw new UsageError("give either --category X or --all, not both.");
    const horizon = parseIntegerOption("--horizon", options.horizon, 1);
    const windows = parseIntegerOption("--windows", options.windows, 1);
    const step = options.step === undefined ? horizon : parseIntegerOption("--step", options.step, 1);
    const refit = String(options.refit);
    if (refit !== "every" && refit !== "once") throw new UsageError(`--refit must be "every" or "once", got "${refit}".`);
    const { AUTO_ARCHITECTURE } = await import("../config/schema.js");
    const auto = options.auto === true || config.model.architecture === AUTO_ARCHITECTURE;
    if (auto && options.variants !== undefined)
      throw new UsageError("--variants is for one configured model; with --auto (or model.architecture auto) every candidate already runs.");
    let variants: ReturnType<typeof parseVariants> = [];
    try {
      variants = auto || options.variants === undefined ? [] : parseVariants(String(options.variants), config);
      if (!auto) checkVariants(config, variants, horizon);
    } catch (error) {
      throw new UsageError(`--variants: ${(error as Error).message}`);
    }
    // The data is read only once the command line is known to be good.
    const data = new CommandData(config);
    const categories = options.all ? undefined : [await chosenCategory(config, out, category, data.categories)];

    // With a queue, backtest --all's jobs go to the queue's workers (src/queue/backtest-jobs.ts),
    // and so does the tournament of --auto, sharded by series (src/queue/tournament-jobs.ts).
    const onQueue = Boolean(options.all && config.queue.url);
    const runJobs = onQueue && !auto ? await (await import("../queue/backtest-jobs.js")).backtestOnQueue(config, (line) => out.log(line)) : undefined;
    const tournament = onQueue && auto ? await (await import("../queue/tournament-jobs.js")).tournamentOnQueue(config, (line) => out.log(line)) : undefined;
    const started = performance.now();
    const { autoBacktest } = await import("../backtest/auto-backtest.js");
    const report = await withInterrupt(out, (signal) =>
      auto
        ? autoBacktest(
            config,
            categories,
            { horizon, windows, step, signal, onProgress: (message) => out.log(message), ...(tournament ? { tournament } : {}) },
            data.loaded,
          )
        : backtest(
            config,
            categories,
            { horizon, windows, step, refit: refit as RefitMode, variants, signal, onProgress: (message) => out.log(message), ...(runJobs ? { runJobs } : {}) },
            data.loaded,
          ),
    );
    const seconds = (performance.now() - started) / 1000;
    if (target) {
      const where = await writeOutputFile(target.path, backtestRowsCsv(report.results.flatMap((result) => result.rows)));
      out.log(`wrote ${report.results.reduce((sum, result) => sum + result.rows.length, 0)} rows to ${where === "stdout" ? "standard output" : target.path}`);
    }
    resultBesideOutput(target, out, backtestJson(report, seconds), () => formatBacktestReport(report, seconds));
    return report.results.length === 0 ? 1 : 0;
  },
};
