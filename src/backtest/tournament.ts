// The tournament behind `model.architecture: auto` (`train --auto`, `backtest --auto`): for each
// series every candidate family is backtested walk-forward on the SELECTION windows, and the
// lowest mean MASE there is the champion; the EVALUATION windows after them (never read by the
// choice, see tournament-windows.ts) give the error reported for it and for every other entrant.
// Local families are fitted per series and cutoff; a global family once per cutoff on every
// series (each at its own cutoff), then forecasts each.
//
// Each fit at a cutoff also forecasts from the next `step` origins (parameters as fitted, states
// re-run over the longer history): their absolute errors per step are the residuals the
// intervals are calibrated from (interval-calibration.ts: each step's mean absolute residual
// times a quantile of leave-one-out scores pooled over the steps). Intervals calibrated on the
// selection windows are checked on the evaluation windows (the coverage reported); the version a
// training stores gets the champion's calibrated on both parts.
//
// A candidate that cannot fit a series (too short, constant where it needs variation) is
// skipped there with the reason; one that throws anything else failed, with the message. Neither
// stops the others. When no candidate has a score, a baseline (the benchmark first) is champion
// and the leaderboard says why.
import type { Config } from "../config/schema.js";
import { splitBounds } from "../data/split.js";
import { ModelInputError } from "../models/errors.js";
import { checkFitInput, fitCalibrated } from "../models/fit-calibrated.js";
import { TrainingAbortedError } from "../models/fit-errors.js";
import { forecastAll } from "../models/forecast-at.js";
import { intervalCoverage, type IntervalCalibration } from "../models/intervals.js";
import { maseScale, seasonLength } from "../models/metrics.js";
import { headOf, type FittedModel, type SeriesInput } from "../models/model.js";
import { periodDates } from "../data/calendar.js";
import {
  LEADERBOARD_FORMAT_VERSION,
  type Leaderboard,
  type LeaderboardEntry,
  type LeaderboardWindow,
  type LevelCoverageJson,
  type WindowPart,
} from "./leaderboard.js";
import { chooseSize, combinable, COMBINATION_KIND, meanForecast, topCandidates, windowMase, type RuleCandidate, type SizeChoice } from "./combination.js";
import { checkEntrants, fallbackOrder, tournamentEntrants, type TournamentEntrant } from "./tournament-candidates.js";
import { configuredWindows, tournamentCutoffs, type TournamentCutoffs, type TournamentWindows } from "./tournament-windows.js";
import type { BacktestRow } from "./types.js";
import { countCoverage, type BacktestCoverage } from "./coverage.js";
import { intervalBounds } from "./interval-bounds.js";
import { calibrationFromResiduals, freshnessFactors, freshnessRatios } from "./interval-calibration.js";
import { BacktestError } from "./windows.js";

/** The row name of the champion in backtests and benchmarks. */
export const AUTO_ROW = "auto";

/** The fewest periods a series needs before its first selection cutoff (a MASE scale and a naive forecast). */
const MIN_CUTOFF_HISTORY = 3;

export interface TournamentOptions {
  /** Default: model.auto's. */
  windows?: TournamentWindows;
  /** Interval levels; default model.interval_levels. */
  levels?: readonly number[];
  signal?: AbortSignal;
  /** One line per series and per candidate; `series` names the series it is about (undefined: a global fit). */
  onProgress?: (text: string, series?: string) => void;
  /** Default: tournamentEntrants(config). */
  entrants?: readonly TournamentEntrant[];
  /** The most candidates the champion may combine (1: always the single best); default model.auto.combine_max. */
  combineMax?: number;
}

export interface SeriesTournament {
  leaderboard: Leaderboard;
  /** Evaluation-window rows of every scored entrant and of the champion (model "auto"), with interval bounds. */
  rows: BacktestRow[];
  /** The champion's family kind ("ensemble" for a combination, whose members are championMembers). */
  championKind: string;
  /** A combination champion's member kinds (what model.ensemble.members becomes for the version trained). */
  championMembers?: string[];
  /** The champion's conformal intervals from the residuals of every window: what a trained version stores. */
  intervals?: IntervalCalibration;
  /** Coverage of the champion's intervals calibrated on the selection windows, on the evaluation windows (every origin), per level and step. */
  coverage: BacktestCoverage[];
}

export interface TournamentReport {
  results: SeriesTournament[];
  /** Series too short for the windows, with the reason. */
  skipped: { series: string; reason: string }[];
}

/** Residuals per step (index h − 1) and the evaluation points (for coverage) of one entrant on one series. */
export interface Trial {
  entrant: TournamentEntrant;
  name: string;
  status: "ok" | "skipped" | "failed";
  reason: string | null;
  description: string | null;
  windows: LeaderboardWindow[];
  residuals: Record<WindowPart, number[][]>;
  /** The subset of `residuals` whose forecast came from the cutoff itself (a fit on every period before the origin, as served). */
  fresh: Record<WindowPart, number[][]>;
  evaluationPoints: { step: number; actual: number; forecast: number }[];
  /** Every forecast path scored (window cutoffs and the interval origins after them), in order: what a combination averages. */
  paths: { part: WindowPart; origin: number; limit: number; fresh: boolean; path: number[] }[];
  seconds: number;
}

export interface SeriesPlan {
  series: SeriesInput;
  cutoffs: TournamentCutoffs;
  dates: string[];
  trials: Trial[];
}

/** Runs the tournament on every series given (series too short for the windows are skipped with the reason). */
export async function runTournament(config: Config, seriesList: readonly SeriesInput[], options: TournamentOptions = {}): Promise<TournamentReport> {
  const planned = planTournament(config, seriesList, options);
  await runTrials(planned, "global", options);
  await runTrials(planned, "local", options);
  return finishTournament(planned, options);
}

/**
 * The three phases of runTournament, apart so the queue (src/queue/tournament-jobs.ts) can run
 * them on different machines with the same result: every series' local trials depend on that
 * series alone, so they shard by series; a global entrant is fitted once per window on every
 * series, so it runs where every series is; the finish (the combination size is chosen over
 * every series) runs once all trials are in.
 */
export interface PlannedTournament {
  config: Config;
  windows: TournamentWindows;
  levels: number[];
  entrants: readonly TournamentEntrant[];
  plans: SeriesPlan[];
  skipped: TournamentReport["skipped"];
}

/** The windows of every series (a series too short is skipped with the reason) and an empty trial per entrant. */
export function planTournament(config: Config, seriesList: readonly SeriesInput[], options: TournamentOptions = {}): PlannedTournament {
  const windows = options.windows ?? configuredWindows(config);
  const levels = [...new Set(options.levels ?? config.model.interval_levels)].sort((a, b) => a - b);
  const entrants = options.entrants ?? tournamentEntrants(config);
  checkEntrants(config, entrants);
  const skipped: TournamentReport["skipped"] = [];
  const plans: SeriesPlan[] = [];
  for (const series of seriesList) {
    try {
      const cutoffs = tournamentCutoffs(series.values.length, windows, MIN_CUTOFF_HISTORY, `series "${series.name}"`);
      plans.push({
        series,
        cutoffs,
        dates: periodDates({ start: series.start, values: series.values }, series.frequency),
        trials: entrants.map((entrant) => newTrial(entrant, windows.horizon)),
      });
    } catch (error) {
      if (!(error instanceof BacktestError)) throw error;
      skipped.push({ series: series.name, reason: error.message });
    }
  }
  return { config, windows, levels, entrants, plans, skipped };
}

/** Fits and scores the global entrants (one fit per window on every planned series) or the local ones (per series). */
export async function runTrials(planned: PlannedTournament, scope: "global" | "local", options: TournamentOptions = {}): Promise<void> {
  const { config, windows, entrants, plans } = planned;
  const context = { config, windows, signal: options.signal, progress: options.onProgress ?? (() => undefined) };
  if (scope === "global") {
    // Global entrants first: one fit per window on every series.
    for (const [e, entrant] of entrants.entries()) {
      if (entrant.family.scope === "global" && plans.length > 0) await runGlobal(context, plans, e);
    }
    return;
  }
  for (const [index, plan] of plans.entries()) {
    context.progress(
      `series ${index + 1}/${plans.length}: ${entrants.length} models on ${windows.selectionWindows} selection + ${windows.evaluationWindows} evaluation windows`,
      plan.series.name,
    );
    for (const [e, entrant] of entrants.entries()) {
      if (entrant.family.scope === "global") continue;
      await runLocal(context, plan, e);
      const trial = plan.trials[e];
      context.progress(`${trial.name} ${describeTrial(trial)}`, plan.series.name);
    }
  }
}

/** The champion of every planned series, once every trial has run. */
export function finishTournament(planned: PlannedTournament, options: TournamentOptions = {}): TournamentReport {
  const { config, windows, levels, entrants, plans } = planned;
  const progress = options.onProgress ?? (() => undefined);
  const report: TournamentReport = { results: [], skipped: [...planned.skipped] };
  // How many candidates the champion combines: chosen on the selection windows of every series (combination.ts).
  const size = chooseSize(
    plans.map((plan) => ruleCandidates(plan)),
    options.combineMax ?? config.model.auto.combine_max,
  );
  const factors = pooledFreshness(plans, size.k, windows.selectionWindows);
  for (const plan of plans) {
    const result = finish(plan, windows, levels, entrants, size, factors);
    progress(`champion ${result.leaderboard.champion.model} (${result.leaderboard.champion.reason})`, plan.series.name);
    report.results.push(result);
  }
  return report;
}

/** A trial as it travels between machines: its entrant by position in the entrants list (a family is code, not data). */
export type TrialRecord = Omit<Trial, "entrant"> & { entrant: number };

/** The trials of `plan` at these entrant positions, without their families. */
export function trialRecords(planned: PlannedTournament, plan: SeriesPlan, positions: readonly number[]): TrialRecord[] {
  return positions.map((e) => ({ ...plan.trials[e], entrant: e }));
}

/** Puts trials run elsewhere back into the plan of the same series. */
export function restoreTrials(planned: PlannedTournament, plan: SeriesPlan, records: readonly TrialRecord[]): void {
  for (const record of records) plan.trials[record.entrant] = { ...record, entrant: planned.entrants[record.entrant] };
}

/** Freshness factors per step, per model kind and for combinations: selection windows alone, and every window (a trained version's). */
interface FreshnessFactors {
  byKind: Map<string, { selection: number[]; both: number[] }>;
  combination: { selection: number[]; both: number[] };
}

/** The residuals of both parts together, per step. */
const bothParts = (r: Record<WindowPart, number[][]>) => r.selection.map((step, h) => [...step, ...r.evaluation[h]]);

/**
 * Freshness factors (interval-calibration.ts) pooled over every series trained together: per
 * kind over its trials, and over the series' combinations of the k chosen (k >= 2).
 */
function pooledFreshness(plans: readonly SeriesPlan[], k: number, selectionWindows: number): FreshnessFactors {
  const pool = () => ({ selection: [] as number[][], both: [] as number[][] });
  const append = (into: number[][], ratios: number[][]) => ratios.forEach((step, h) => (into[h] ??= []).push(...step));
  const add = (into: ReturnType<typeof pool>, trial: Trial) => {
    append(into.selection, freshnessRatios(trial.residuals.selection, trial.fresh.selection));
    append(into.both, freshnessRatios(bothParts(trial.residuals), bothParts(trial.fresh)));
  };
  const byKind = new Map<string, ReturnType<typeof pool>>();
  const combination = pool();
  for (const plan of plans) {
    for (const trial of plan.trials) {
      if (trial.status !== "ok") continue;
      const kind = trial.entrant.family.kind;
      if (!byKind.has(kind)) byKind.set(kind, pool());
      add(byKind.get(kind)!, trial);
    }
    const combined = combinationOf(plan, k, selectionWindows);
    if (combined) add(combination, combined.trial);
  }
  const factor = (p: ReturnType<typeof pool>) => ({ selection: freshnessFactors(p.selection), both: freshnessFactors(p.both) });
  return { byKind: new Map([...byKind].map(([kind, p]) => [kind, factor(p)])), combination: factor(combination) };
}

function newTrial(entrant: TournamentEntrant, horizon: number): Trial {
  const empty = () => Array.from({ length: horizon }, () => [] as number[]);
  return {
    entrant,
    name: entrant.family.kind,
    status: "ok",
    reason: null,
    description: null,
    windows: [],
    residuals: { selection: empty(), evaluation: empty() },
    fresh: { selection: empty(), evaluation: empty() },
    evaluationPoints: [],
    paths: [],
    seconds: 0,
  };
}

interface RunContext {
  config: Config;
  windows: TournamentWindows;
  signal?: AbortSignal;
  progress: (text: string, series?: string) => void;
}

/** Every cutoff of a plan, selection then evaluation, with its part and the first period its residuals may not reach. */
function cutoffList(plan: SeriesPlan): { part: WindowPart; cutoff: number; limit: number }[] {
  const { selection, evaluation } = plan.cutoffs;
  const n = plan.series.values.length;
  return [
    ...selection.map((cutoff) => ({ part: "selection" as const, cutoff, limit: evaluation[0] })),
    ...evaluation.map((cutoff) => ({ part: "evaluation" as const, cutoff, limit: n })),
  ];
}

/** Why `trial`'s family cannot fit `plan`'s series at its first cutoff, or undefined. */
function skipReason(config: Config, plan: SeriesPlan, trial: Trial): string | undefined {
  const first = plan.cutoffs.selection[0];
  const head = headOf(plan.series, first);
  try {
    checkFitInput(trial.entrant.family, head, config, splitBounds(first, config.data.val_fraction, 0));
  } catch (error) {
    if (error instanceof ModelInputError) return `too short or unsuitable at the first selection cutoff (${first} periods): ${error.problem}`;
    throw error;
  }
  return undefined;
}

/** Records an error of a fit or forecast: a data problem skips the entrant, an abort stops everything, anything else fails it. */
function recordFailure(trial: Trial, error: unknown, signal: AbortSignal | undefined): void {
  if (error instanceof TrainingAbortedError || signal?.aborted) throw error instanceof TrainingAbortedError ? error : new TrainingAbortedError();
  trial.status = error instanceof ModelInputError ? "skipped" : "failed";
  trial.reason = error instanceof ModelInputError ? error.problem : error instanceof Error ? error.message : String(error);
}

async function runLocal(context: RunContext, plan: SeriesPlan, e: number): Promise<void> {
  const trial = plan.trials[e];
  const started = performance.now();
  const reason = skipReason(context.config, plan, trial);
  if (reason !== undefined) {
    trial.status = "skipped";
    trial.reason = reason;
    return;
  }
  for (const window of cutoffList(plan)) {
    try {
      const head = headOf(plan.series, window.cutoff);
      const fit = await fitCalibrated(
        trial.entrant.family,
        head,
        { config: context.config, signal: context.signal, name: trial.name },
        { split: splitBounds(head.values.length, context.config.data.val_fraction, 0) },
      );
      scoreWindow(plan, trial, fit.final, window, context.windows);
    } catch (error) {
      recordFailure(trial, error, context.signal);
      break;
    }
  }
  trial.seconds = (performance.now() - started) / 1000;
}

/** A global entrant: each window fitted once on every series that can take it, then scored on each. */
async function runGlobal(context: RunContext, plans: readonly SeriesPlan[], e: number): Promise<void> {
  const family = plans[0].trials[e].entrant.family;
  const started = performance.now();
  const usable = plans.filter((plan) => {
    const reason = skipReason(context.config, plan, plan.trials[e]);
    if (reason !== undefined) Object.assign(plan.trials[e], { status: "skipped", reason });
    return reason === undefined;
  });
  const count = context.windows.selectionWindows + context.windows.evaluationWindows;
  for (let k = 0; k < count && usable.length > 0; k++) {
    context.progress(`${family.kind}: fitting window ${k + 1}/${count} on ${usable.length} series at once`);
    const alive = usable.filter((plan) => plan.trials[e].status === "ok");
    if (alive.length === 0) break;
    let model: FittedModel;
    try {
      model = await family.fit(
        alive.map((plan) => headOf(plan.series, cutoffList(plan)[k].cutoff)),
        { config: context.config, signal: context.signal, name: family.kind },
      );
    } catch (error) {
      for (const plan of alive) recordFailure(plan.trials[e], error, context.signal);
      break;
    }
    for (const plan of alive) {
      try {
        scoreWindow(plan, plan.trials[e], model, cutoffList(plan)[k], context.windows);
      } catch (error) {
        recordFailure(plan.trials[e], error, context.signal);
      }
    }
  }
  const seconds = (performance.now() - started) / 1000;
  for (const plan of usable) plan.trials[e].seconds = seconds / usable.length;
}

/**
 * The model fitted at `window.cutoff` forecasts from it (the scored window) and from the
 * following origins up to the next cutoff (residuals for the intervals), targets before `limit` only.
 */
function scoreWindow(
  plan: SeriesPlan,
  trial: Trial,
  model: FittedModel,
  window: { part: WindowPart; cutoff: number; limit: number },
  windows: TournamentWindows,
): void {
  const { series, dates } = plan;
  const values = series.values;
  const { horizon } = windows;
  const step = window.part === "selection" ? (windows.selectionStep ?? windows.step) : windows.step;
  const origins: number[] = [];
  for (let o = window.cutoff; o < window.cutoff + step && o < window.limit; o++) origins.push(o);
  const paths = forecastAll(
    model,
    origins.map((o) => headOf(series, o)),
    horizon,
  );
  for (const [i, path] of paths.entries()) {
    const fresh = origins[i] === window.cutoff;
    trial.paths.push({ part: window.part, origin: origins[i], limit: window.limit, fresh, path: Array.from(path.subarray(0, horizon)) });
    for (let h = 0; h < horizon; h++) {
      const target = origins[i] + h;
      if (!Number.isFinite(path[h])) throw new Error(`its forecast from ${dates[origins[i] - 1]} is not a finite number at step ${h + 1}`);
      if (target >= window.limit) continue;
      const residual = values[target] - path[h];
      trial.residuals[window.part][h].push(Math.abs(residual));
      if (fresh) trial.fresh[window.part][h].push(Math.abs(residual));
      if (window.part === "evaluation") trial.evaluationPoints.push({ step: h + 1, actual: values[target], forecast: path[h] });
    }
  }
  const forecast = Array.from(paths[0].subarray(0, horizon));
  const actual = Array.from(values.subarray(window.cutoff, window.cutoff + horizon));
  const rawScale = maseScale(values.subarray(0, window.cutoff), seasonLength(series.frequency));
  const scale = rawScale > 0 ? rawScale : null;
  const stepError = forecast.map((f, h) => Math.abs(actual[h] - f) / (scale ?? 1));
  trial.windows.push({ part: window.part, cutoff: dates[window.cutoff - 1], scale, forecast, actual, step_error: stepError, mase: mean(stepError) });
  trial.description = model.describe();
  trial.name = model.name;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Mean window MASE of a part, and per step; null when the trial has no window of that part. */
function partScores(trial: Trial, part: WindowPart, horizon: number): { mase: number | null; steps: number[] } {
  const mine = trial.status === "ok" ? trial.windows.filter((w) => w.part === part) : [];
  if (mine.length === 0) return { mase: null, steps: [] };
  return { mase: mean(mine.map((w) => w.mase)), steps: Array.from({ length: horizon }, (_, h) => mean(mine.map((w) => w.step_error[h]))) };
}

function coverageJson(calibration: IntervalCalibration, points: Trial["evaluationPoints"]): LevelCoverageJson[] {
  return intervalCoverage(calibration, points).map(({ level, covered, total, coverage }) => ({
    level,
    covered,
    total,
    coverage: total === 0 ? null : coverage,
  }));
}

/** Scores, the choice, the leaderboard and the evaluation rows of one series. */
function finish(
  plan: SeriesPlan,
  windows: TournamentWindows,
  levels: readonly number[],
  entrants: readonly TournamentEntrant[],
  size: SizeChoice,
  factors: FreshnessFactors,
): SeriesTournament {
  const { horizon } = windows;
  const factorOf = (trial: Trial, combined: boolean) =>
    (combined ? factors.combination : factors.byKind.get(trial.entrant.family.kind)) ?? { selection: [], both: [] };
  const score = (trial: Trial, combined = false) => {
    const selection = partScores(trial, "selection", horizon);
    const evaluation = partScores(trial, "evaluation", horizon);
    const calibration = calibrationFromResiduals(trial.residuals.selection, levels, "selection windows", factorOf(trial, combined).selection);
    return { trial, selection, evaluation, calibration };
  };
  const scored = plan.trials.map((trial) => score(trial));
  const eligible = scored.filter((s) => isEligible(s.trial));
  let winner = eligible.reduce<(typeof scored)[number] | undefined>(
    (best, s) => (best === undefined || s.selection.mase! < best.selection.mase! ? s : best),
    undefined,
  );
  let reason: string;
  let fallback = false;
  if (winner) {
    const others = eligible.filter((s) => s !== winner).sort((a, b) => a.selection.mase! - b.selection.mase!);
    const runnerUp = others[0];
    reason =
      `lowest mean MASE on the ${windows.selectionWindows} selection windows: ${winner.selection.mase!.toFixed(3)}` +
      (runnerUp ? ` (next: ${runnerUp.trial.name} ${runnerUp.selection.mase!.toFixed(3)})` : " (the only candidate with a score)");
  } else {
    fallback = true;
    const why = scored
      .filter((s) => s.trial.entrant.role === "candidate")
      .map((s) => `${s.trial.name}: ${s.trial.reason ?? "no score"}`)
      .join("; ");
    const order = fallbackOrder(entrants);
    winner = order.map((family) => scored.find((s) => s.trial.entrant.family === family && s.selection.mase !== null)).find((s) => s !== undefined);
    if (!winner)
      throw new BacktestError(
        `series "${plan.series.name}": no model could be fitted on its selection windows (${why || "no candidates"}); use a longer series or other model.auto.candidates`,
      );
    reason = `no candidate could be scored on the selection windows (${why || "model.auto.candidates is empty"}), so the baseline ${winner.trial.name} serves`;
  }
  let champion = winner;
  let members: string[] | undefined;
  const combined = fallback ? undefined : combinationOf(plan, size.k, windows.selectionWindows);
  if (!combined && !fallback && size.tried.length > 0) reason += `; one candidate rather than a mean of several (${describeSize(size)})`;
  if (combined) {
    champion = score(combined.trial, true);
    members = combined.members;
    reason =
      `mean of the ${size.k} candidates with the lowest mean MASE on the ${windows.selectionWindows} selection windows ` +
      `(${combined.ranked.map((s) => `${s.name} ${s.mase.toFixed(3)}`).join(", ")}; combined ${champion.selection.mase!.toFixed(3)}), ` +
      `as the selection windows' leave-one-window-out scores ask (${describeSize(size)}); best single: ${winner.trial.name}, ${reason}`;
  }

  const entries: LeaderboardEntry[] = scored.map(({ trial, selection, evaluation, calibration }) => ({
    model: trial.name,
    kind: trial.entrant.family.kind,
    role: trial.entrant.role,
    status: trial.status,
    reason: trial.reason,
    description: trial.description,
    selection_mase: selection.mase,
    evaluation_mase: evaluation.mase,
    selection_step_mase: selection.steps,
    evaluation_step_mase: evaluation.steps,
    windows: trial.windows,
    coverage: trial.status === "ok" ? coverageJson(calibration, trial.evaluationPoints) : [],
    seconds: trial.seconds,
  }));
  const leaderboard: Leaderboard = {
    format_version: LEADERBOARD_FORMAT_VERSION,
    series: plan.series.name,
    frequency: plan.series.frequency,
    horizon,
    step: windows.step,
    selection_cutoffs: plan.cutoffs.selection.map((c) => plan.dates[c - 1]),
    evaluation_cutoffs: plan.cutoffs.evaluation.map((c) => plan.dates[c - 1]),
    champion: {
      model: champion.trial.name,
      kind: members ? COMBINATION_KIND : champion.trial.entrant.family.kind,
      ...(members ? { members } : {}),
      reason,
      selection_mase: champion.selection.mase,
      evaluation_mase: champion.evaluation.mase,
      fallback,
      coverage: champion.trial.status === "ok" ? coverageJson(champion.calibration, champion.trial.evaluationPoints) : [],
    },
    entries,
  };

  const rows: BacktestRow[] = [];
  for (const s of scored) {
    if (s.trial.status !== "ok") continue;
    rows.push(...evaluationRows(plan, s.trial.name, s.trial.windows, s.calibration));
  }
  rows.push(...evaluationRows(plan, AUTO_ROW, champion.trial.windows, champion.calibration));
  const intervals = calibrationFromResiduals(
    bothParts(champion.trial.residuals),
    levels,
    "tournament windows",
    factorOf(champion.trial, members !== undefined).both,
  );
  const coverage = countCoverage(champion.calibration, champion.trial.evaluationPoints, horizon);
  return {
    leaderboard,
    rows,
    championKind: leaderboard.champion.kind,
    ...(members ? { championMembers: members } : {}),
    intervals,
    coverage,
  };
}

/** A candidate that may be champion: scored on every selection window. */
function isEligible(trial: Trial): boolean {
  const selection = trial.status === "ok" ? trial.windows.filter((w) => w.part === "selection") : [];
  return trial.entrant.role === "candidate" && selection.length > 0 && selection.every((w) => Number.isFinite(w.mase));
}

/** The rule's view of a series' eligible candidates. */
function ruleCandidates(plan: SeriesPlan): RuleCandidate[] {
  return plan.trials.filter(isEligible).map((trial) => ({
    name: trial.name,
    combinable: combinable(trial.entrant.family),
    selection: trial.windows.filter((w) => w.part === "selection"),
  }));
}

/** "k=2 −0.012 on 45 series, k=3 …" */
function describeSize(size: SizeChoice): string {
  const tried = size.tried.map((t) => `k=${t.k} ${t.gain >= 0 ? "+" : ""}${t.gain.toFixed(3)}`).join(", ");
  return `k=${size.k}; against the best single, ${tried || "no larger k could be scored"}, over ${Math.max(0, ...size.tried.map((t) => t.series))} series`;
}

/**
 * The mean of the series' k best combinable candidates (ranked on every selection window) as a
 * trial of its own: each window's and each interval origin's forecast is the members' mean.
 * undefined for k = 1, or when the series has fewer than k candidates to combine.
 */
function combinationOf(
  plan: SeriesPlan,
  k: number,
  selectionWindows: number,
): { trial: Trial; members: string[]; ranked: { name: string; mase: number }[] } | undefined {
  if (k < 2) return undefined;
  const all = Array.from({ length: selectionWindows }, (_, i) => i);
  const candidates = ruleCandidates(plan);
  const top = topCandidates(candidates, k, all);
  if (!top) return undefined;
  const trials = top.map((c) => plan.trials.find((t) => t.name === c.name)!);
  // Every member scored the same windows and origins (the same cutoff list): checked, not assumed.
  const first = trials[0];
  const aligned = trials.every(
    (t) =>
      t.windows.length === first.windows.length &&
      t.paths.length === first.paths.length &&
      t.windows.every((w, j) => w.cutoff === first.windows[j].cutoff) &&
      t.paths.every((p, j) => p.origin === first.paths[j].origin && p.part === first.paths[j].part),
  );
  if (!aligned) return undefined;
  const trial = newTrial(first.entrant, first.residuals.selection.length);
  trial.name = `mean of ${trials.map((t) => t.name).join(", ")}`;
  trial.description = trial.name;
  trial.seconds = trials.reduce((sum, t) => sum + t.seconds, 0);
  trial.windows = first.windows.map((w, j) => {
    const forecast = meanForecast(trials.map((t) => t.windows[j].forecast));
    const stepError = forecast.map((f, h) => Math.abs(w.actual[h] - f) / (w.scale ?? 1));
    return { ...w, forecast, step_error: stepError, mase: windowMase(forecast, w) };
  });
  const values = plan.series.values;
  for (const [j, p] of first.paths.entries()) {
    const path = meanForecast(trials.map((t) => t.paths[j].path));
    trial.paths.push({ ...p, path });
    path.forEach((f, h) => {
      const target = p.origin + h;
      if (target >= p.limit) return;
      trial.residuals[p.part][h].push(Math.abs(values[target] - f));
      if (p.fresh) trial.fresh[p.part][h].push(Math.abs(values[target] - f));
      if (p.part === "evaluation") trial.evaluationPoints.push({ step: h + 1, actual: values[target], forecast: f });
    });
  }
  const mase = (t: Trial) => mean(t.windows.filter((w) => w.part === "selection").map((w) => w.mase));
  return { trial, members: trials.map((t) => t.entrant.family.kind), ranked: trials.map((t) => ({ name: t.name, mase: mase(t) })) };
}

/** The evaluation windows of one model as backtest rows, each with its interval bounds (null where not calibrated). */
function evaluationRows(plan: SeriesPlan, model: string, windows: readonly LeaderboardWindow[], calibration: IntervalCalibration): BacktestRow[] {
  const rows: BacktestRow[] = [];
  const indexOf = new Map(plan.dates.map((date, i) => [date, i]));
  for (const window of windows) {
    if (window.part !== "evaluation") continue;
    const cutoff = indexOf.get(window.cutoff)! + 1;
    const bounds = intervalBounds(calibration, window.forecast);
    window.forecast.forEach((forecast, h) => {
      rows.push({
        category: plan.series.name,
        model,
        cutoff: window.cutoff,
        step: h + 1,
        date: plan.dates[cutoff + h],
        forecast,
        actual: window.actual[h],
        error: window.actual[h] - forecast,
        intervals: bounds[h],
      });
    });
  }
  return rows;
}

/** "selection 0.812, evaluation 0.774 (1.2 s)", or the reason it has no score. */
function describeTrial(trial: Trial): string {
  if (trial.status !== "ok") return `${trial.status}: ${trial.reason}`;
  const part = (p: WindowPart) => {
    const mine = trial.windows.filter((w) => w.part === p);
    return mine.length ? mean(mine.map((w) => w.mase)).toFixed(3) : "n/a";
  };
  return `selection ${part("selection")}, evaluation ${part("evaluation")} (${trial.seconds.toFixed(1)} s)`;
}
