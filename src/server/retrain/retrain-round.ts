// One round of scheduled retraining (issue 18; `salescast retrain`, or schedule.retrain in
// `salescast serve`): retrain the served categories whose data changed, and promote a new
// version only when it beats the champion on the most recent periods.
//
//   1. Which data changed: each category's series is fingerprinted (sha256 of its first date
//      and values); the fingerprints of the last round are kept in a small JSON file beside
//      the registry. A category seen for the first time counts as changed when its data now
//      reaches past the last date its served model was trained on.
//   2. The served version is pinned as "champion" first, so the new version cannot be served
//      merely by being the latest.
//   3. The changed categories are trained (the caller's `train`: a job in the server, in-process
//      in the CLI), each a normal run in the tracking store, registered as a new version.
//   4. Champion and new version forecast each of the last schedule.recent_periods periods one
//      step ahead from the window before it; the new version becomes champion only with a
//      lower mean absolute error, else it gets the alias "challenger". The outcome and both
//      errors are tagged on the new version's run (retrain_*), so the Runs page shows them.
// Only categories that already have a served model are retrained: a schedule never adds new ones.
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { Config } from "../../config/schema.js";
import { periodDates } from "../../data/calendar.js";
import type { CategorySeries, SalesData } from "../../data/types.js";
import type { SalesForecaster } from "../../forecaster/sales-forecaster.js";
import { DEFAULT_ALIAS, localRegistryRoot, type ModelRegistry, type ModelVersionInfo } from "../../registry/index.js";
import type { TrackingStore } from "../../tracking/index.js";
import type { CategoryResult } from "../../training/result.js";
import { readJsonIfExists, writeJsonAtomic } from "../../util/atomic-file.js";

export const CHALLENGER_ALIAS = "challenger";

export interface RetrainRoundOptions {
  registry: ModelRegistry;
  loadData: () => Promise<SalesData>;
  /** Trains these categories on `data`, registering each new version. */
  train: (categories: string[], data: SalesData) => Promise<CategoryResult[]>;
  /** How a registered version is loaded to forecast (the server's loader). */
  load: (info: ModelVersionInfo) => Promise<SalesForecaster>;
  /** JSON file of the data fingerprints of the last round. */
  statePath: string;
  /** Periods at the end of each series the champion and the new version are compared on. */
  recentPeriods: number;
  /** Where the outcome is tagged on the new version's run. */
  store?: TrackingStore;
}

export interface RetrainOutcome {
  category: string;
  status: "unchanged" | "promoted" | "challenger" | "failed";
  reason: string;
  champion_version: number | null;
  new_version: number | null;
  run_id: string | null;
  /** Mean absolute error over the recent periods (null when not compared). */
  champion_mae: number | null;
  new_mae: number | null;
}

interface RetrainState {
  format: "salescast-retrain-1";
  fingerprints: Record<string, string>;
}

/** Where the fingerprints of the last round are kept: beside the local registry. */
export function retrainStatePath(config: Config): string {
  return join(localRegistryRoot(config), ".retrain-state.json");
}

/** One line per category for the CLI and the server's log. */
export function formatOutcome(o: RetrainOutcome): string {
  const version = o.new_version === null ? "" : ` (version ${o.new_version})`;
  return `${o.category}: ${o.status}${version}: ${o.reason}`;
}

export function seriesFingerprint(series: CategorySeries): string {
  return createHash("sha256")
    .update(series.start)
    .update(new Uint8Array(series.values.buffer, series.values.byteOffset, series.values.byteLength))
    .digest("hex");
}

/** Mean absolute one-step error over the last `periods` periods, or why it cannot be computed. */
export function recentMae(forecaster: SalesForecaster, series: CategorySeries, dates: string[], periods: number): number | string {
  if (forecaster.covariateNames.length > 0) return "models with covariates are not compared on recent periods (their future covariates are not kept)";
  const w = forecaster.windowSize;
  const first = Math.max(w, series.values.length - periods);
  if (first >= series.values.length) return `the series has ${series.values.length} periods, fewer than the window (${w}) plus one`;
  let sum = 0;
  for (let t = first; t < series.values.length; t++) {
    const window = series.values.subarray(t - w, t);
    const predicted = forecaster.forecast(window, forecaster.needsLastDate ? { lastDate: dates[t - 1] } : {});
    sum += Math.abs(predicted - series.values[t]);
  }
  return sum / (series.values.length - first);
}

export async function retrainRound(o: RetrainRoundOptions): Promise<RetrainOutcome[]> {
  const data = await o.loadData();
  const state = (await readJsonIfExists<RetrainState>(o.statePath).catch(() => undefined)) ?? { format: "salescast-retrain-1", fingerprints: {} };
  const served = new Map((await o.registry.list()).map((info) => [info.category, info]));
  const outcomes: RetrainOutcome[] = [];
  const changed: Array<{ series: CategorySeries; fingerprint: string; champion: ModelVersionInfo }> = [];
  const blank = { champion_version: null, new_version: null, run_id: null, champion_mae: null, new_mae: null };

  for (const series of data.series) {
    const champion = served.get(series.category);
    if (!champion) continue;
    const fingerprint = seriesFingerprint(series);
    const known = state.fingerprints[series.category];
    let isNew: boolean;
    if (known !== undefined) isNew = known !== fingerprint;
    else {
      const dates = periodDates(series, data.frequency);
      const trainedUntil = (await o.load(champion)).meta.data.end;
      isNew = dates[dates.length - 1] > trainedUntil;
    }
    if (!isNew) {
      state.fingerprints[series.category] = fingerprint;
      outcomes.push({
        category: series.category,
        status: "unchanged",
        reason: "its data has not changed since the last round",
        ...blank,
        champion_version: champion.version,
      });
      continue;
    }
    changed.push({ series, fingerprint, champion });
  }

  if (changed.length > 0) {
    // Pinned first: a new version must win its place, not take it by being the latest.
    for (const { series, champion } of changed) {
      if (!champion.aliases.includes(DEFAULT_ALIAS)) await o.registry.setAlias(series.category, DEFAULT_ALIAS, champion.version);
    }
    const results = new Map(
      (
        await o.train(
          changed.map((c) => c.series.category),
          data,
        )
      ).map((r) => [r.category, r]),
    );
    for (const { series, fingerprint, champion } of changed) {
      const category = series.category;
      const result = results.get(category);
      const base = { ...blank, category, champion_version: champion.version, run_id: result?.runId ?? null };
      if (!result || result.status !== "ok" || result.runId === undefined) {
        outcomes.push({ ...base, status: "failed", reason: `training ${result?.status ?? "did not run"}: ${result?.reason ?? "no result"}` });
        continue;
      }
      const fresh = (await o.registry.versions(category)).find((v) => v.runId === result.runId);
      if (!fresh) {
        outcomes.push({ ...base, status: "failed", reason: `run ${result.runId} is not registered yet (queued for salescast runs sync?); nothing promoted` });
        continue;
      }
      state.fingerprints[category] = fingerprint;
      const dates = periodDates(series, data.frequency);
      const championMae = recentMae(await o.load(champion), series, dates, o.recentPeriods);
      const ready = await o.registry.resolve(category, fresh.version); // its files ready (MLflow downloads them)
      const newMae = ready ? recentMae(await o.load(ready), series, dates, o.recentPeriods) : "its files could not be found";
      const compared = typeof championMae === "number" && typeof newMae === "number";
      const wins = compared && newMae < championMae;
      const reason = !compared
        ? `not compared (${typeof newMae === "string" ? newMae : championMae}); the champion stays served`
        : wins
          ? `MAE over the last ${o.recentPeriods} periods ${newMae.toPrecision(4)} beats the champion's ${championMae.toPrecision(4)}`
          : `MAE over the last ${o.recentPeriods} periods ${newMae.toPrecision(4)} does not beat the champion's ${championMae.toPrecision(4)}; the champion stays served`;
      await o.registry.setAlias(category, wins ? DEFAULT_ALIAS : CHALLENGER_ALIAS, fresh.version);
      const outcome: RetrainOutcome = {
        ...base,
        status: wins ? "promoted" : "challenger",
        reason,
        new_version: fresh.version,
        champion_mae: typeof championMae === "number" ? championMae : null,
        new_mae: typeof newMae === "number" ? newMae : null,
      };
      outcomes.push(outcome);
      await o.store
        ?.setTags(result.runId, {
          retrain_outcome: outcome.status,
          retrain_reason: reason,
          retrain_champion_version: String(champion.version),
          ...(outcome.champion_mae === null ? {} : { retrain_champion_mae: String(outcome.champion_mae) }),
          ...(outcome.new_mae === null ? {} : { retrain_new_mae: String(outcome.new_mae) }),
        })
        .catch(() => undefined); // the outcome stands in the registry either way
    }
  }
  await writeJsonAtomic(o.statePath, { format: "salescast-retrain-1", fingerprints: state.fingerprints } satisfies RetrainState);
  return outcomes.sort((a, b) => a.category.localeCompare(b.category));
}
