// The dashboard's helpers behind issue 15's fixes, without a browser: one locale for every
// number and date (and the currency of app.currency), labels that follow the data's period,
// live loss curves that grow by new arrays (so memoised charts redraw), the forecast CSV, the
// Train page's overrides and error-to-field mapping, and the settings assumed of a server that
// cannot say its own.
import { describe, expect, it } from "vitest";
import { configFromDefaults } from "../../src/config/from-defaults.js";
import { buildApp } from "../../src/server/app.js";
import type { CategoryProgress } from "../../web/src/api-types.js";
import { timeAxisLabel } from "../../web/src/charts/options.js";
import { forecastCsv } from "../../web/src/lib/forecast-csv.js";
import { csvCells, tileForecastsFromCsv } from "../../web/src/lib/level-forecasts.js";
import { makeFormatter } from "../../web/src/lib/format.js";
import { recordLoss, recordLosses, type JobLosses } from "../../web/src/lib/job-losses.js";
import { periodCount, periodWords } from "../../web/src/lib/period.js";
import { DEFAULT_SETTINGS } from "../../web/src/lib/settings.js";
import { describeOverrides, fieldOfError, formFromDefaults, formProblems, overridesFrom } from "../../web/src/lib/training-form.js";

describe("makeFormatter: one locale for numbers and dates, amounts in the configured currency", () => {
  it("writes numbers as the locale does (no hard-coded en-US)", () => {
    const en = makeFormatter({ locale: "en-US" });
    const de = makeFormatter({ locale: "de-DE" });
    expect(en.sales(1555264.4)).toBe("1,555,264");
    expect(de.sales(1555264.4)).toBe("1.555.264");
    expect(en.sales(12.5)).toBe("12.50");
    expect(de.sales(12.5)).toBe("12,50");
    expect(de.metric(0.8123)).toBe("0,812");
    expect(de.percentChange(0.125)).toBe("+12,5\u00a0%");
    expect(en.percentChange(-0.03)).toBe("-3.0%");
    expect(de.separators).toEqual({ decimal: ",", group: "." });
    expect(de.editable(1234.5)).toBe("1234,5");
    expect(en.editable(1234.5)).toBe("1234.5");
  });

  it("formats amounts in app.currency when there is one, and nothing else", () => {
    const usd = makeFormatter({ locale: "en-US", currency: "USD" });
    const eur = makeFormatter({ locale: "de-DE", currency: "EUR" });
    expect(usd.sales(1234.4)).toBe("$1,234");
    expect(usd.sales(12.5)).toBe("$12.50");
    expect(eur.sales(1234.4)).toBe("1.234\u00a0€");
    expect(usd.axis(1500)).toBe("$1.5K");
    expect(usd.metric(0.5)).toBe("0.500"); // metrics are ratios or errors, not amounts
    expect(makeFormatter({ locale: "en-US", currency: null }).sales(1234)).toBe("1,234");
  });

  it("prints whole numbers (epochs, best_epoch) as integers and keeps three decimals for the rest", () => {
    const en = makeFormatter({ locale: "en-US" });
    expect(en.metric(2)).toBe("2");
    expect(en.metric(10)).toBe("10");
    expect(en.metric(0.8)).toBe("0.800");
    expect(en.metric(12.34)).toBe("12.3");
    expect(en.metric(12345.6)).toBe("12,346");
    expect(en.metric(Number.NaN)).toBe("n/a");
  });

  it("writes calendar dates in the locale, without a time-zone shift", () => {
    expect(makeFormatter({ locale: "en-US" }).date("2024-03-04")).toBe("Mar 4, 2024");
    expect(makeFormatter({ locale: "de-DE" }).date("2024-03-04")).toBe("04.03.2024");
    expect(makeFormatter({ locale: "en-GB" }).date("2024-12-31")).toBe("31 Dec 2024");
    expect(makeFormatter({ locale: "en-US" }).date("not a date")).toBe("not a date");
    expect(timeAxisLabel(Date.UTC(2024, 2, 4), "de-DE")).toBe("4. März");
    expect(timeAxisLabel(Date.UTC(2024, 2, 1), "en-US")).toBe("Mar 2024");
    expect(timeAxisLabel(Date.UTC(2024, 0, 1), "en-US")).toBe("2024");
  });
});

describe("period words follow the data's frequency", () => {
  it("daily data speaks of days, weekly data of weeks", () => {
    expect(periodWords("D")).toMatchObject({ unit: "day", adjective: "Daily", days: 1, comparePeriods: 28, defaultMeanWindow: 7 });
    expect(periodWords("W")).toMatchObject({ unit: "week", adjective: "Weekly", days: 7, comparePeriods: 4, defaultMeanWindow: 4 });
    expect(periodCount(1, "W")).toBe("1 week");
    expect(periodCount(14, "D")).toBe("14 days");
    expect(periodWords("W").quickRanges.map(([label]) => label)).not.toContain("90 days");
  });
});

const progress = (epoch: number, trainLoss: number | null, valLoss: number | null, category = "Beauty"): CategoryProgress => ({
  category,
  state: "training",
  epoch,
  max_epochs: 10,
  batch: 1,
  batches: 5,
  loss: 0.5,
  train_loss: trainLoss,
  val_loss: valLoss,
});

describe("live loss curves", () => {
  it("add one point per finished epoch, each time in a new array (memoised charts see the change)", () => {
    let losses: JobLosses = {};
    const seen: Array<readonly unknown[]> = [];
    for (let epoch = 1; epoch <= 7; epoch++) {
      losses = recordLoss(losses, progress(epoch, 1 / epoch, 2 / epoch));
      // The next epoch's batches repeat these losses: no new point.
      losses = recordLoss(losses, progress(epoch + 1, 1 / epoch, 2 / epoch));
      seen.push(losses.Beauty);
    }
    expect(losses.Beauty.map((p) => p.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // Every epoch gave a different array object; none was changed afterwards.
    expect(new Set(seen).size).toBe(7);
    expect(seen[0]).toHaveLength(1);
  });

  it("returns the same object when nothing is new, and keeps categories apart", () => {
    const once = recordLosses({}, [progress(1, 0.5, 0.6), progress(1, null, null, "Clothing")]);
    expect(recordLoss(once, progress(2, 0.5, 0.6))).toBe(once);
    expect(recordLoss(once, progress(0, null, null))).toBe(once);
    expect(Object.keys(once)).toEqual(["Beauty"]);
    const replaced = recordLoss(once, progress(1, 0.4, 0.6));
    expect(replaced.Beauty).toEqual([{ epoch: 1, trainLoss: 0.4, valLoss: 0.6 }]);
    expect(once.Beauty).toEqual([{ epoch: 1, trainLoss: 0.5, valLoss: 0.6 }]);
  });
});

describe("forecastCsv", () => {
  it("writes one row per period: ISO date, forecast and each level's bounds, locale-free", () => {
    const csv = forecastCsv({
      dates: ["2024-03-04", "2024-03-11"],
      forecast: [1234.5, 1300],
      intervals: [
        { level: 95, lower: [1000, 1010], upper: [1400, 1500] },
        { level: 80, lower: [1100, 1110], upper: [1350, 1420.25] },
      ],
    });
    expect(csv).toBe(
      "date,forecast,lower_80,upper_80,lower_95,upper_95\n" + "2024-03-04,1234.5,1100,1350,1000,1400\n" + "2024-03-11,1300,1110,1420.25,1010,1500\n",
    );
    expect(forecastCsv({ dates: ["2024-03-04"], forecast: [5], intervals: [] })).toBe("date,forecast\n2024-03-04,5\n");
    expect(() => forecastCsv({ dates: [], forecast: [1], intervals: [] })).toThrow(/1 forecast values but 0 dates/);
  });
});

describe("tileForecastsFromCsv (the Catalogue page's tiles, from GET /api/forecasts/{level})", () => {
  it("reads each series' forecast and the widest interval, a quoted name holding a comma or a quote included", () => {
    const csv =
      "level,series,date,forecast,lo_80,hi_80,lo_95,hi_95\n" +
      "store_id,CA_1,2016-05-23,10.5,8,13,7,14.25\n" +
      "store_id,CA_1,2016-05-24,11,9,13,8,15\n" +
      'store_id,"A, ""B""",2016-05-23,3,2,4,1,5\n';
    const read = tileForecastsFromCsv(csv);
    expect([...read.keys()]).toEqual(["CA_1", 'A, "B"']);
    expect(read.get("CA_1")).toEqual({ dates: ["2016-05-23", "2016-05-24"], values: [10.5, 11], band: { level: 95, lower: [7, 8], upper: [14.25, 15] } });
    expect(read.get('A, "B"')!.values).toEqual([3]);
  });

  it("has no band without interval columns, nothing for a header alone, and refuses a table without its columns", () => {
    expect(tileForecastsFromCsv("level,series,date,forecast\ntotal,total,2016-05-23,4\n").get("total")).toEqual({ dates: ["2016-05-23"], values: [4] });
    expect(tileForecastsFromCsv("level,series,date,forecast\n").size).toBe(0);
    expect(() => tileForecastsFromCsv("a,b\n1,2\n")).toThrow(/no series, date or forecast column/);
    expect(csvCells('x,"y,z",')).toEqual(["x", "y,z", ""]);
    expect(() => csvCells('"open')).toThrow(/unclosed quote/);
  });
});

// The shipped config.yaml's training settings (what an older server is taken to have).
const DEFAULTS = DEFAULT_SETTINGS.training;

describe("the Train page's settings", () => {
  it("sends only what differs from the server's configuration", () => {
    const form = formFromDefaults(DEFAULTS);
    expect(overridesFrom(form, DEFAULTS)).toEqual({});
    expect(overridesFrom({ ...form, epochs: "3", window: " 28 ", dayOfWeek: true }, DEFAULTS)).toEqual({
      train: { max_epochs: 3 },
      data: { window_size: 28 },
      model: { features: { day_of_week: true } },
    });
    expect(overridesFrom({ ...form, seed: "7", month: true }, DEFAULTS)).toEqual({ train: { seed: 7 }, model: { features: { month: true } } });
  });

  it("refuses boxes that do not hold a whole number before sending; the rest is the server's to judge", () => {
    const form = formFromDefaults(DEFAULTS);
    expect(formProblems(form)).toEqual({});
    expect(formProblems({ ...form, epochs: "", window: "2.5", seed: "x" })).toEqual({
      epochs: "type a whole number",
      window: "type a whole number",
      seed: "type a whole number",
    });
    expect(formProblems({ ...form, window: "2" })).toEqual({}); // too small, but that is the API's rule
  });

  it("puts the server's refusal next to the field it names", () => {
    expect(fieldOfError("overrides.data.window_size: must be at least 3 (the convolution needs 3 periods); found 2")).toBe("window");
    expect(fieldOfError("body.overrides.train.max_epochs must be <= 1000")).toBe("epochs");
    expect(fieldOfError("overrides.train.seed: Too small: expected number to be >=0; found -1")).toBe("seed");
    expect(fieldOfError('overrides.model.architecture: Invalid option: expected one of "CNNLSTM"; found "X"')).toBe("architecture");
    expect(fieldOfError("body.experiment_name must match pattern")).toBe("experiment");
    expect(fieldOfError('category "Toys" not in the data. Known categories: Beauty')).toBe("categories");
    expect(fieldOfError("too many training requests")).toBeUndefined();
  });

  it("describes a job's overrides in words, in the data's units", () => {
    expect(describeOverrides({ train: { max_epochs: 3, seed: 7 }, data: { window_size: 8 }, model: { features: { day_of_week: true } } }, "weeks")).toBe(
      "3 epochs · window 8 weeks · seed 7 · day of week on",
    );
    expect(describeOverrides({}, "days")).toBe("");
  });
});

describe("the settings of a server that cannot say its own", () => {
  it("are what GET /api/settings answers with the shipped configuration", async () => {
    const app = await buildApp({ config: configFromDefaults(), logger: false, env: {}, warmModels: false });
    try {
      const answer = await app.inject({ method: "GET", url: "/api/settings" });
      expect(answer.statusCode).toBe(200);
      expect(answer.json()).toEqual(DEFAULT_SETTINGS);
    } finally {
      await app.close();
    }
  });
});
