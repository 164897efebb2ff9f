// catalogue.future_covariates: a plan of prices, promotions and events for the forecast days.
// Its values replace the carried-forward ones (a plan equal to them changes nothing, another
// plan changes the forecasts), and a plan that is wrong is refused before any fitting, saying
// what is wrong: an unknown column, a missing series or day, a row given twice, a series the
// catalogue does not have, a bad number, no covariate column, no covariate configured.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededRandom } from "../../bench/reconcile-hierarchy.js";
import { configFromDefaults, type ConfigSettings } from "../../src/config/from-defaults.js";
import type { Config } from "../../src/config/schema.js";
import { isoFromEpochDay } from "../../src/data/dates.js";
import { DataError } from "../../src/data/errors.js";
import { loadConfiguredData, type TrainingData } from "../../src/data/model-data.js";
import { ModelInputError } from "../../src/models/errors.js";
import { forecastCatalogue } from "../../src/training/catalogue/fit.js";
import { readCataloguePlan } from "../../src/training/catalogue/plan.js";
import { trainCatalogue } from "../../src/training/catalogue/train.js";

const HORIZON = 7;
const COVARIATES = ["promo", "sell_price"];
const STORES = 2;
const ITEMS = 4;
const DAYS = 300;
let root: string;
let data: TrainingData;

function catalogueConfig(plan: string | null, settings: ConfigSettings = {}): Config {
  return configFromDefaults(
    {
      data: {
        csv_path: join(root, "catalogue.csv"),
        date_column: "date",
        value_column: "sales",
        series_key: ["store_id", "item_id"],
        hierarchy: [[], ["store_id"], ["store_id", "item_id"]],
      },
      model: { features: { covariates: COVARIATES }, gbdt: { threads: 1 }, ...settings.model },
      catalogue: { horizon: HORIZON, max_rounds: 60, training_days: 120, evaluate: false, future_covariates: plan },
    },
    { folder: root },
  );
}

interface PlanRow {
  series: number;
  day: number;
  values: Record<string, string>;
}

/** The last value of each covariate of series b in the data (what is carried forward). */
function lastValues(b: number): Record<string, string> {
  const by = data.covariates!.bySeries!;
  const row = by.index[data.series[b].category];
  return Object.fromEntries(COVARIATES.map((name) => [name, String(by.values[data.covariates!.names.indexOf(name)][row * by.days + by.days - 1])]));
}

function planRows(values: (b: number, t: number) => Record<string, string>): PlanRow[] {
  const rows: PlanRow[] = [];
  for (let b = 0; b < data.series.length; b++) for (let t = 0; t < HORIZON; t++) rows.push({ series: b, day: t, values: values(b, t) });
  return rows;
}

async function writePlan(name: string, rows: PlanRow[], columns = COVARIATES, extra: string[] = []): Promise<string> {
  const matrix = data.catalogue!.matrix;
  const first = matrix.firstDay + matrix.periods;
  const lines = [["store_id", "item_id", "date", ...columns, ...extra].join(",")];
  for (const row of rows) {
    const [store, item] = data.catalogue!.parts[row.series];
    lines.push([store, item, isoFromEpochDay(first + row.day), ...columns.map((c) => row.values[c]), ...extra.map(() => "1")].join(","));
  }
  const path = join(root, name);
  await writeFile(path, `${lines.join("\n")}\n`);
  return path;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "salescast-catalogue-plan-"));
  // Sales that a promotion lifts tenfold, so a planned promotion must show in the forecasts.
  const random = seededRandom(19);
  const lines = ["store_id,item_id,date,sales,promo,sell_price"];
  for (let s = 0; s < STORES; s++) {
    for (let i = 0; i < ITEMS; i++) {
      for (let d = 0; d < DAYS; d++) {
        const promo = random() < 0.3 ? 1 : 0;
        const sales = Math.round((2 + i) * (promo ? 10 : 1) * (0.8 + 0.4 * random()));
        lines.push(`S${s},I${i},${isoFromEpochDay(18000 + d)},${sales},${promo},${(3 + i).toFixed(2)}`);
      }
    }
  }
  await writeFile(join(root, "catalogue.csv"), `${lines.join("\n")}\n`);
  data = await loadConfiguredData(catalogueConfig(null));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("catalogue.future_covariates", () => {
  it("replaces the carried-forward values: the same values change nothing, flipping the last day's promotion changes them", async () => {
    const carried = await forecastCatalogue(catalogueConfig(null), data);
    const samePath = await writePlan(
      "same.csv",
      planRows((b) => lastValues(b)),
    );
    const sameConfig = catalogueConfig(samePath);
    const same = await forecastCatalogue(sameConfig, data, { plan: await readCataloguePlan(sameConfig, data) });
    expect(Array.from(same.forecasts)).toEqual(Array.from(carried.forecasts));

    const promoPath = await writePlan(
      "promo.csv",
      planRows((b) => {
        const last = lastValues(b);
        return { ...last, promo: last.promo === "1" ? "0" : "1" };
      }),
    );
    const promoConfig = catalogueConfig(promoPath);
    const plan = await readCataloguePlan(promoConfig, data);
    expect(plan!.names).toEqual(COVARIATES);
    const promoted = await forecastCatalogue(promoConfig, data, { plan });
    // The last day's promotion flipped on every forecast day: the total moves by far more than noise.
    const total = (f: Float64Array) => f.subarray(0, HORIZON).reduce((a, b) => a + b, 0);
    console.log(`total over ${HORIZON} days: carried ${total(carried.forecasts).toFixed(1)}, flipped promotions ${total(promoted.forecasts).toFixed(1)}`);
    expect(Math.abs(total(promoted.forecasts) - total(carried.forecasts))).toBeGreaterThan(0.2 * total(carried.forecasts));
  });

  it("takes a plan of some covariates (the others carried) and ignores days outside the forecast", async () => {
    const rows = planRows((b) => lastValues(b));
    rows.push({ series: 0, day: HORIZON + 3, values: lastValues(0) }); // after the forecast days: ignored
    const path = await writePlan("some.csv", rows, ["promo"]);
    const plan = await readCataloguePlan(catalogueConfig(path), data);
    expect(plan!.names).toEqual(["promo"]);
    expect(plan!.values.size).toBe(data.series.length);
  });

  it("is read by train --catalogue before any fitting: a bad plan creates no run", async () => {
    const path = await writePlan(
      "missing-day.csv",
      planRows((b) => lastValues(b)).filter((r) => r.day !== 3),
    );
    await expect(trainCatalogue(catalogueConfig(path), data)).rejects.toThrow(/without a value, e\.g\. .* on \d{4}-\d{2}-\d{2}/);
  });

  it("refuses a plan that is wrong, saying what is wrong and what to do", async () => {
    const all = planRows((b) => lastValues(b));
    const cases: [string, () => Promise<string>, RegExp][] = [
      [
        "unknown column",
        () => writePlan("unknown.csv", all, COVARIATES, ["discount"]),
        /column\(s\) "discount", neither a key column, the date column nor a covariate/,
      ],
      [
        "missing series",
        () =>
          writePlan(
            "no-series.csv",
            all.filter((r) => r.series !== 2),
          ),
        /leaves 14 series × day × covariate value\(s\).*e\.g\. "/,
      ],
      [
        "missing day",
        () =>
          writePlan(
            "no-day.csv",
            all.filter((r) => r.day !== 0),
          ),
        /leaves 16 series × day × covariate value\(s\)/,
      ],
      ["row twice", () => writePlan("twice.csv", [...all, all[5]]), /series ".*" on \d{4}-\d{2}-\d{2} appears twice/],
      ["no covariate column", () => writePlan("keys-only.csv", all, []), /has no covariate column/],
      [
        "bad number",
        () =>
          writePlan(
            "bad-number.csv",
            all.map((r, i) => (i === 4 ? { ...r, values: { ...r.values, promo: "yes" } } : r)),
          ),
        /data row 5: "yes" in column "promo" is not a number/,
      ],
    ];
    for (const [what, write, message] of cases) {
      const path = await write();
      const error = await readCataloguePlan(catalogueConfig(path), data).catch((e: Error) => e);
      expect(error, what).toBeInstanceOf(DataError);
      expect((error as Error).message, what).toMatch(message);
    }
    // A series the catalogue does not have.
    const stranger = join(root, "stranger.csv");
    const first = isoFromEpochDay(data.catalogue!.matrix.firstDay + data.catalogue!.matrix.periods);
    await writeFile(stranger, `store_id,item_id,date,promo\nXX_9,NOPE,${first},1\n`);
    await expect(readCataloguePlan(catalogueConfig(stranger), data)).rejects.toThrow(/plans series the catalogue does not have, e\.g\. "XX_9\/NOPE"/);
    // A missing file.
    await expect(readCataloguePlan(catalogueConfig(join(root, "absent.csv")), data)).rejects.toThrow(/absent\.csv/);
    // No covariate configured.
    const path = await writePlan("fine.csv", all);
    const error = await readCataloguePlan(catalogueConfig(path, { model: { features: { covariates: [] } } }), data).catch((e: Error) => e);
    expect(error).toBeInstanceOf(ModelInputError);
    expect((error as Error).message).toMatch(/model.features.covariates is empty/);
  });
});
