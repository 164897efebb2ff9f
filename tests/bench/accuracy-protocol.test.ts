// The accuracy bench's protocol (bench/accuracy-protocol.ts) on series small enough to score by
// hand: where the cutoffs fall, the MASE scale of the history up to the first cutoff, the mean
// over windows and steps then over series, interval coverage, and the rows it must refuse.
import { describe, expect, it } from "vitest";
import { ProtocolError, scoreForecasts, seriesCutoffs, seriesScale, type BenchSeries, type ForecastRow, type Protocol } from "../../bench/accuracy-protocol.js";

function daily(id: string, values: number[], start = "2024-01-01"): BenchSeries {
  const first = Date.parse(`${start}T00:00:00Z`);
  return { id, values: Float64Array.from(values), dates: values.map((_, i) => new Date(first + i * 86_400_000).toISOString().slice(0, 10)) };
}

// 8 days; H 2, W 2, S 1: the models see 5 days, then 6; forecasts of days 6-7, then 7-8.
const a = daily("a", [1, 3, 2, 4, 3, 5, 4, 6]);
const b = daily("b", [2, 4, 2, 4, 2, 4, 2, 4]);
const protocol: Protocol = { horizon: 2, windows: 2, step: 1, season: 7 };

function row(series: string, model: string, cutoff: string, date: string, forecast: number, bounds: [number, number][] = []): ForecastRow {
  return { series, model, cutoff, date, forecast, bounds: new Map(bounds.map((pair, i) => [i === 0 ? 80 : 95, pair])) };
}

/** Model m: a forecasts 4, 4 then 5, 5 (errors 1, 0, 1, 1); b forecasts 5 everywhere (errors 1, 3, 3, 1). */
function modelRows(model = "m"): ForecastRow[] {
  return [
    row("a", model, "2024-01-05", "2024-01-06", 4, [[3.5, 4.5]]), // actual 5: outside
    row("a", model, "2024-01-05", "2024-01-07", 4, [[3.5, 4.5]]), // actual 4: inside
    row("a", model, "2024-01-06", "2024-01-07", 5, [[3.5, 5.5]]), // actual 4: inside
    row("a", model, "2024-01-06", "2024-01-08", 5, [[4.5, 6]]), // actual 6: inside (the bound counts)
    row("b", model, "2024-01-05", "2024-01-06", 5),
    row("b", model, "2024-01-05", "2024-01-07", 5),
    row("b", model, "2024-01-06", "2024-01-07", 5),
    row("b", model, "2024-01-06", "2024-01-08", 5),
  ];
}

describe("cutoffs", () => {
  it("puts the last window at the end of the series and the others S periods before", () => {
    expect(seriesCutoffs(a, protocol)).toEqual({ lengths: [5, 6], dates: ["2024-01-05", "2024-01-06"] });
    const weekly = { ...protocol, horizon: 7, windows: 3, step: 7 };
    const long = daily(
      "c",
      Array.from({ length: 40 }, (_, i) => i),
    );
    // 40 days: the last window forecasts days 34-40, so the cutoffs saw 19, 26, 33 days.
    expect(seriesCutoffs(long, weekly)).toEqual({ lengths: [19, 26, 33], dates: ["2024-01-19", "2024-01-26", "2024-02-02"] });
  });

  it("refuses a series too short for the windows, saying how many fit", () => {
    expect(() => seriesCutoffs(daily("s", [1, 2, 3, 4]), { ...protocol, windows: 3 })).toThrow(/series s has 4 periods.*At most 1 window fit: use --windows 1/);
  });
});

describe("MASE scale", () => {
  it("is the mean absolute lag-1 difference up to the first cutoff when that history is under two seasons", () => {
    // days 1-5: |3-1|, |2-3|, |4-2|, |3-4| = 2, 1, 2, 1 → 1.5; days after the first cutoff are not read.
    expect(seriesScale(a, protocol)).toEqual({ scale: 1.5, lag: 1 });
    expect(seriesScale({ ...a, values: Float64Array.from([1, 3, 2, 4, 3, 1e9, 1e9, 1e9]) }, protocol).scale).toBe(1.5);
  });

  it("uses the seasonal lag when the history holds two seasons", () => {
    // season 2, 5 days ≥ 4: |2-1|, |4-3|, |3-2| = 1 each.
    expect(seriesScale(a, { ...protocol, season: 2 })).toEqual({ scale: 1, lag: 2 });
  });
});

describe("scoreForecasts", () => {
  it("averages |error| / scale over windows and steps per series, then over series", () => {
    const { models, unscaled } = scoreForecasts([a, b], protocol, modelRows());
    expect(unscaled).toEqual([]);
    const [m] = models;
    // a: mean |error| 3/4 over scale 1.5 = 0.5; b: mean 8/4 over scale 2 = 1.
    expect(m.perSeries.get("a")).toBeCloseTo(0.5, 12);
    expect(m.perSeries.get("b")).toBeCloseTo(1, 12);
    expect(m.meanMase).toBeCloseTo(0.75, 12);
    expect(m.coverage.get(80)).toEqual({ covered: 3, total: 4 });
  });

  it("scores each model on its own rows", () => {
    const exact = modelRows("exact").map((r) => {
      const s = r.series === "a" ? a : b;
      return { ...r, forecast: s.values[s.dates.indexOf(r.date)] };
    });
    const { models } = scoreForecasts([a, b], protocol, [...modelRows(), ...exact]);
    expect(models.map((m) => m.model)).toEqual(["m", "exact"]);
    expect(models[1].meanMase).toBe(0);
  });

  it("leaves a series with missing or non-finite forecasts out of that model's mean, and says so", () => {
    const rows = modelRows();
    rows[0] = { ...rows[0], forecast: Number.NaN };
    const [m] = scoreForecasts([a, b], protocol, rows.slice(0, 7)).models;
    expect([...m.perSeries.keys()]).toEqual([]); // a: 3 of 4 finite, b: 3 of 4 rows
    expect(m.incomplete).toEqual(
      new Map([
        ["a", 3],
        ["b", 3],
      ]),
    );
    expect(m.meanMase).toBeNaN();
  });

  it("scores no model on a series whose history never changes", () => {
    const flat = daily("b", [2, 2, 2, 2, 2, 4, 2, 4]);
    const { models, unscaled } = scoreForecasts([a, flat], protocol, modelRows());
    expect(unscaled).toEqual(["b"]);
    expect(models[0].meanMase).toBeCloseTo(0.5, 12);
  });

  it("refuses a cutoff that is not the protocol's, naming the expected ones", () => {
    const rows = modelRows();
    rows[0] = { ...rows[0], cutoff: "2024-01-04", date: "2024-01-05" };
    expect(() => scoreForecasts([a, b], protocol, rows)).toThrow(ProtocolError);
    expect(() => scoreForecasts([a, b], protocol, rows)).toThrow(
      /series a: cutoff 2024-01-04 is not one of the protocol's \(2024-01-05 \.\. 2024-01-06, 2 cutoffs\)/,
    );
  });

  it("refuses a date outside 1..H after the cutoff, a duplicate, and an unknown series", () => {
    const late = modelRows();
    late[1] = { ...late[1], date: "2024-01-08" };
    expect(() => scoreForecasts([a, b], protocol, late)).toThrow(/forecast date 2024-01-08 is not 1..2 periods after the cutoff/);
    expect(() => scoreForecasts([a, b], protocol, [...modelRows(), modelRows()[2]])).toThrow(/two forecasts for 2024-01-07/);
    expect(() => scoreForecasts([a], protocol, modelRows())).toThrow(/series "b" that is not in the data/);
  });
});
