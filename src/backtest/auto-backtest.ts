// `salescast backtest --auto`: the tournament on every series asked for, reported as a backtest.
// The backtest's windows (--windows, --horizon, --step) are the EVALUATION windows, so the rows
// can be rescored beside any other tool's on the same cutoffs; model.auto.selection_windows
// selection windows come before them, model.auto.step apart (0: the horizon). The report has one row per entrant (every candidate and
// baseline that could be scored) and the row "auto": on each series, the forecasts of the
// candidate its selection windows chose, with interval bounds calibrated on those windows.
import type { Config } from "../config/schema.js";
import { loadConfiguredData, withCovariates, findSeries } from "../data/model-data.js";
import type { SalesData } from "../data/types.js";
import { configuredSeries } from "../models/series-input.js";
import { aggregateRows } from "./backtest.js";
import type { Leaderboard } from "./leaderboard.js";
import { runTournament, AUTO_ROW } from "./tournament.js";
import type { AutoSummary, BacktestOptions, BacktestReport, CategoryBacktest } from "./types.js";
import { BacktestError, checkWindowOptions } from "./windows.js";

export function autoSummary(leaderboard: Leaderboard): AutoSummary {
  return {
    champion: leaderboard.champion.model,
    reason: leaderboard.champion.reason,
    selection_cutoffs: leaderboard.selection_cutoffs,
    selection_mase: leaderboard.champion.selection_mase,
    unscored: leaderboard.entries.filter((e) => e.status !== "ok").map((e) => ({ model: e.model, status: e.status, reason: e.reason })),
    model_seconds: leaderboard.entries.filter((e) => e.status === "ok").map((e) => ({ model: e.model, seconds: e.seconds, fits: e.windows.length })),
  };
}

/**
 * The tournament's backtest of the given categories (all configured ones when undefined). An
 * unknown category throws before any work; a series too short for the windows is skipped with
 * the reason when there are several, and throws when it is the only one.
 */
export async function autoBacktest(
  config: Config,
  categories: readonly string[] | undefined,
  options: Pick<BacktestOptions, "horizon" | "windows" | "step" | "signal" | "onProgress"> & {
    /** Where the tournament runs: this process by default; the queue's workers with queue.url (src/queue/tournament-jobs.ts). */
    tournament?: typeof runTournament;
  },
  data?: SalesData,
): Promise<BacktestReport> {
  checkWindowOptions(options);
  const sales = data ? await withCovariates(config, data) : await loadConfiguredData(config);
  const wanted = categories ?? (config.data.available_categories.length ? config.data.available_categories : sales.series.map((s) => s.category));
  const inputs = wanted.map((category) => configuredSeries(config, sales, findSeries(sales, category)));
  // The selection windows keep model.auto's step (0: the horizon) whatever the evaluation step.
  const windows = {
    horizon: options.horizon,
    step: options.step,
    selectionStep: config.model.auto.step || options.horizon,
    evaluationWindows: options.windows,
    selectionWindows: config.model.auto.selection_windows,
  };
  const started = performance.now();
  const tournament = await (options.tournament ?? runTournament)(config, inputs, {
    windows,
    signal: options.signal,
    onProgress: (text, series) => options.onProgress?.(series ? `${series}: ${text}` : text),
  });
  if (tournament.skipped.length && inputs.length === 1) throw new BacktestError(tournament.skipped[0].reason);
  const seconds = (performance.now() - started) / 1000;
  const results: CategoryBacktest[] = tournament.results.map((result) => {
    const board = result.leaderboard;
    const scored = board.entries.filter((e) => e.status === "ok");
    const models = [AUTO_ROW, ...scored.map((e) => e.model)];
    const evaluation = scored[0]?.windows.filter((w) => w.part === "evaluation") ?? [];
    const scales = evaluation.map((w) => w.scale ?? 0);
    return {
      category: board.series,
      frequency: board.frequency,
      refit: "every",
      horizon: board.horizon,
      cutoffs: board.evaluation_cutoffs,
      scales,
      models,
      rows: result.rows,
      aggregates: aggregateRows(result.rows, board.evaluation_cutoffs, scales, models, board.horizon),
      coverage: result.coverage,
      seconds: seconds / Math.max(tournament.results.length, 1),
      auto: autoSummary(board),
    };
  });
  return { results, skipped: tournament.skipped.map(({ series, reason }) => ({ category: series, reason })) };
}
