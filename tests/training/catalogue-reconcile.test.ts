// A catalogue reconciled by wls_var and mint_shrink: every row's in-sample errors over the last
// horizon days before the cutoff (the GBDT's for the bottom series, the aggregate model's for the
// aggregates) reach the reconciliation, nothing after the cutoff is read; and the per-level
// tournament of catalogue.aggregate_model auto, reported in the leaderboard. (The reconciliation
// itself is checked against hierarchicalforecast in tests/models/reconcile.test.ts, on a case
// shaped like a catalogue's: M5's levels, 28 residual days, more series than days.)
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configFromDefaults, type ConfigSettings } from "../../src/config/from-defaults.js";
import type { Config } from "../../src/config/schema.js";
import { writeCatalogue } from "../../src/data/demo-catalogue.js";
import { loadConfiguredData, type TrainingData } from "../../src/data/model-data.js";
import { ModelInputError } from "../../src/models/errors.js";
import { reconcile, summingStructure } from "../../src/models/reconcile/index.js";
import { scoreHeldOut } from "../../src/training/catalogue/evaluate.js";
import { forecastCatalogue } from "../../src/training/catalogue/fit.js";
import { trainCatalogue } from "../../src/training/catalogue/train.js";

const LEVELS = [[], ["state_id"], ["store_id"], ["dept_id"], ["store_id", "item_id"]];
const HORIZON = 14;

let root: string;
let data: TrainingData;

function catalogueConfig(settings: ConfigSettings["catalogue"] = {}): Config {
  return configFromDefaults(
    {
      data: { csv_path: join(root, "catalogue.parquet"), date_column: "date", value_column: "sales", series_key: ["store_id", "item_id"], hierarchy: LEVELS },
      model: { features: { covariates: ["sell_price", "promo", "event", "snap"] }, gbdt: { threads: 1 } },
      catalogue: { horizon: HORIZON, max_rounds: 15, training_days: 120, evaluate: false, ...settings },
    },
    { folder: root },
  );
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "salescast-catalogue-reconcile-"));
  await writeCatalogue(join(root, "catalogue.parquet"), { stores: 2, items: 12, days: 300, seed: 11 });
  data = await loadConfiguredData(catalogueConfig());
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The same data with every value after period `end` replaced (what a leak would read). */
function alteredAfter(source: TrainingData, end: number): TrainingData {
  const matrix = source.catalogue!.matrix;
  const values = Float64Array.from(matrix.values);
  for (let b = 0; b < matrix.series; b++) for (let t = end; t < matrix.periods; t++) values[b * matrix.periods + t] = 1000 + t;
  return { ...source, catalogue: { ...source.catalogue!, matrix: { ...matrix, values } } };
}

describe("catalogue.reconcile wls_var and mint_shrink", () => {
  it.each(["wls_var", "mint_shrink"] as const)("%s reads every row's in-sample errors and gives coherent forecasts", async (method) => {
    const config = catalogueConfig({ reconcile: method });
    const matrix = data.catalogue!.matrix;
    const end = matrix.periods - HORIZON;
    const result = await forecastCatalogue(config, data, { end });
    const s = summingStructure(result.rows.structure);
    const n = s.seriesCount;
    expect(result.residuals).toBeDefined();
    const residuals = result.residuals!;
    expect(residuals.length).toBe(n * HORIZON);

    // The aggregates' errors are the seasonal naive's, forecasting the last HORIZON days before the cutoff from the days before them.
    const hierarchy = data.catalogue!.hierarchy!;
    for (let r = 0; r < s.aggregateCount; r++) {
      const bottom = hierarchy.aggregates[result.rows.aggregateIndex[r]].bottom;
      const y = (t: number) => bottom.reduce((sum, b) => sum + matrix.values[b * matrix.periods + t], 0);
      const cut = end - HORIZON;
      for (let t = 0; t < HORIZON; t++) expect(residuals[r * HORIZON + t]).toBeCloseTo(y(cut + t) - y(cut - 7 + (t % 7)), 9);
    }
    // The bottom rows hold the GBDT's errors: not zero, and not the seasonal naive's.
    let bottomEnergy = 0;
    for (let j = s.aggregateCount * HORIZON; j < residuals.length; j++) bottomEnergy += residuals[j] ** 2;
    expect(bottomEnergy).toBeGreaterThan(0);

    // The forecasts are the reconciliation of the base forecasts with these errors, and they add up.
    const expected = reconcile(s, result.base, HORIZON, { method, residuals }).forecasts;
    expect(Array.from(result.forecasts)).toEqual(Array.from(expected));
    const bottomUp = reconcile(s, result.base, HORIZON, { method: "bottom_up" }).forecasts;
    expect(result.forecasts.some((v, j) => Math.abs(v - bottomUp[j]) > 1e-6)).toBe(true);
    for (let i = 0; i < s.aggregateCount; i++) {
      for (let t = 0; t < HORIZON; t++) {
        let sum = 0;
        for (let e = s.offsets[i]; e < s.offsets[i + 1]; e++) sum += result.forecasts[(s.aggregateCount + s.members[e]) * HORIZON + t];
        expect(result.forecasts[i * HORIZON + t]).toBeCloseTo(sum, 6);
      }
    }
  });

  it("reads nothing after the cutoff: the errors and forecasts are the same when later days change", async () => {
    const config = catalogueConfig({ reconcile: "mint_shrink" });
    const end = data.catalogue!.matrix.periods - HORIZON;
    const a = await forecastCatalogue(config, data, { end });
    const b = await forecastCatalogue(config, alteredAfter(data, end), { end });
    expect(Array.from(b.residuals!)).toEqual(Array.from(a.residuals!));
    expect(Array.from(b.forecasts)).toEqual(Array.from(a.forecasts));
  });

  it("other methods compute no errors (nothing to pay for)", async () => {
    const result = await forecastCatalogue(catalogueConfig({ reconcile: "wls_struct" }), data);
    expect(result.residuals).toBeUndefined();
  });
});

describe("the catalogue's intervals", () => {
  it("are coherent: an aggregate's σ is the root mean square of its bottom series' held-out errors summed day by day", async () => {
    const config = catalogueConfig({ reconcile: "mint_shrink" });
    const matrix = data.catalogue!.matrix;
    const end = matrix.periods - HORIZON;
    const forecast = await forecastCatalogue(config, data, { end });
    const { sigma } = scoreHeldOut(config, data, forecast, end);
    const s = summingStructure(forecast.rows.structure);
    const error = (b: number, t: number) => matrix.values[b * matrix.periods + end + t] - forecast.forecasts[(s.aggregateCount + b) * HORIZON + t];
    for (let i = 0; i < s.aggregateCount; i++) {
      let ss = 0;
      for (let t = 0; t < HORIZON; t++) {
        let sum = 0;
        for (let e = s.offsets[i]; e < s.offsets[i + 1]; e++) sum += error(s.members[e], t);
        ss += sum * sum;
      }
      expect(sigma[i]).toBeCloseTo(Math.sqrt(ss / HORIZON), 9);
    }
    // Not the independent-errors sum: the total's σ is not sqrt(Σ σ_b²).
    let independent = 0;
    for (let b = 0; b < s.bottomCount; b++) independent += sigma[s.aggregateCount + b] ** 2;
    expect(Math.abs(sigma[0] - Math.sqrt(independent))).toBeGreaterThan(1e-6);
  });
});

describe("catalogue.aggregate_model auto: a tournament per aggregate level", () => {
  it("picks, per level, the candidate with the lowest RMSSE on the days before the cutoff, and nothing after it changes the pick", async () => {
    const config = catalogueConfig({ reconcile: "ols", aggregate_model: "auto", aggregate_candidates: ["seasonal_naive", "ets", "theta", "naive"] });
    const end = data.catalogue!.matrix.periods - HORIZON;
    const result = await forecastCatalogue(config, data, { end });
    expect(result.aggregateModels.map((c) => c.level)).toEqual(["total", "state_id", "store_id", "dept_id"]);
    for (const choice of result.aggregateModels) {
      expect(choice.candidates!.map((c) => c.model)).toEqual(["seasonal_naive", "ets", "theta", "naive"]);
      const scores = choice.candidates!.map((c) => c.rmsse);
      for (const score of scores) expect(score).toBeGreaterThan(0);
      const best = choice.candidates![scores.indexOf(Math.min(...scores))];
      expect(choice.model).toBe(best.model);
    }
    // Not one kind everywhere by construction: the scores differ between candidates.
    const first = result.aggregateModels[0].candidates!;
    expect(new Set(first.map((c) => c.rmsse.toFixed(9))).size).toBe(first.length);

    const later = await forecastCatalogue(config, alteredAfter(data, end), { end });
    expect(later.aggregateModels).toEqual(result.aggregateModels);
  });

  it("reports each level's choice in the leaderboard artifact", async () => {
    const config = catalogueConfig({ reconcile: "wls_var", aggregate_model: "auto", aggregate_candidates: ["seasonal_naive", "naive"], evaluate: true });
    const trained = await trainCatalogue(config, data);
    const leaderboard = JSON.parse(await readFile(join(trained.dir, "leaderboard.json"), "utf8"));
    for (const pass of ["evaluation", "final"]) {
      const choices = leaderboard.aggregate_models[pass];
      expect(choices.map((c: { level: string }) => c.level)).toEqual(["total", "state_id", "store_id", "dept_id"]);
      for (const c of choices) expect(["seasonal_naive", "naive"]).toContain(c.model);
    }
    expect(leaderboard.models[0].model).toContain("wls_var");
  });

  it("refuses an empty candidate list, a global kind and an unknown kind, saying what to use", async () => {
    const attempts: [ConfigSettings["catalogue"], RegExp][] = [
      [{ aggregate_model: "auto", aggregate_candidates: [] }, /aggregate_candidates is empty/],
      [{ aggregate_model: "auto", aggregate_candidates: ["seasonal_naive", "gbdt"] }, /catalogue.aggregate_candidates names gbdt, a global model/],
      [{ aggregate_model: "auto", aggregate_candidates: ["sesonal_naive"] }, /catalogue.aggregate_candidates is "sesonal_naive", not a model kind/],
      [{ aggregate_model: "gbdt" }, /catalogue.aggregate_model names gbdt, a global model/],
    ];
    for (const [settings, message] of attempts) {
      const error = await forecastCatalogue(catalogueConfig({ reconcile: "ols", ...settings }), data).catch((e: Error) => e);
      expect(error, JSON.stringify(settings)).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(message);
      if (!/not a model kind/.test((error as Error).message)) expect(error).toBeInstanceOf(ModelInputError);
    }
  });
});
