// The bench's table: the best anchor, wins per series against it, coverage, and the line that
// says whether salescast's `auto` (or its best row until auto exists) beats every anchor.
import { describe, expect, it } from "vitest";
import { scoreForecasts, type BenchSeries, type ForecastRow, type Protocol } from "../../bench/accuracy-protocol.js";
import { buildReport, formatReportMarkdown, formatReportText, type ReportInput } from "../../bench/accuracy-report.js";
import type { Source, ToolRun } from "../../bench/accuracy-tools.js";

const protocol: Protocol = { horizon: 1, windows: 1, step: 1, season: 7 };
// three series, each with lag-1 scale 1 (history 0, 1) and actual 10 on the forecast day
const series: BenchSeries[] = ["a", "b", "c"].map((id) => ({ id, dates: ["2024-01-01", "2024-01-02", "2024-01-03"], values: Float64Array.from([0, 1, 10]) }));

/** A model whose absolute errors on a, b, c are `errors` (so those are its MASE per series). */
function rows(model: string, errors: number[], bounds?: [number, number]): ForecastRow[] {
  return errors.map((e, i) => ({
    series: series[i].id,
    model,
    cutoff: "2024-01-02",
    date: "2024-01-03",
    forecast: 10 - e,
    bounds: new Map(bounds ? [[80, bounds] as [number, [number, number]]] : []),
  }));
}

function run(source: Source, modelSeconds: [string, number][] = [], wall = 12): ToolRun {
  return {
    source,
    status: "ok",
    rows: [],
    modelSeconds: new Map(modelSeconds),
    modelFits: new Map(),
    ownCoverage: new Map(),
    skippedSeries: [],
    wallSeconds: wall,
    cpuSeconds: 20,
  };
}

function report(models: [string, Source, number[]][], extraRuns: ToolRun[] = []): ReturnType<typeof buildReport> {
  const all = models.flatMap(([model, , errors]) => rows(model, errors, model === "r_ets" ? [9, 11] : undefined));
  const input: ReportInput = {
    dataset: "toy",
    command: "npm run bench:accuracy -- --data toy.csv",
    data: { path: "toy.csv", sha256: "abc", frequency: "D", series: 3 },
    protocol: { ...protocol, cutoffs: { first: "2024-01-02", last: "2024-01-02", other_series: {} }, mase_lags: [1, 1, 1] },
    scores: scoreForecasts(series, protocol, all),
    runs: [run("salescast"), run("R forecast", [["r_ets", 3.5]]), run("statsforecast", [["sf_autoets", 1.25]]), ...extraRuns],
    sources: new Map(models.map(([model, source]) => [model, source])),
    machine: { cores: 2, load_average: [1, 1, 1] },
    versions: {},
    measuredAt: new Date("2026-12-01T10:00:00Z"),
  };
  return buildReport(input);
}

describe("the accuracy table", () => {
  it("takes the anchor with the lowest mean MASE as the best and counts wins per series against it", () => {
    const r = report([
      ["r_ets", "R forecast", [2, 2, 2]], // mean 2, intervals [9, 11] cover 10 everywhere
      ["sf_autoets", "statsforecast", [1, 3, 1]], // mean 5/3: the best anchor
      ["holt_winters", "salescast", [0.5, 4, 2]], // beats it on a only
      ["auto", "salescast", [0.5, 3.5, 0.9]], // beats it on a and c; mean 1.633
    ]);
    expect(r.best_anchor).toEqual({ model: "sf_autoets", mean_mase: 5 / 3 });
    const byModel = Object.fromEntries(r.rows.map((row) => [row.model, row]));
    expect(byModel.holt_winters).toMatchObject({ wins_vs_best_anchor: 1, compared: 3, source: "salescast", anchor: false, seconds: 12, seconds_of: "run" });
    expect(byModel.auto).toMatchObject({ wins_vs_best_anchor: 2, compared: 3 });
    expect(byModel.r_ets).toMatchObject({
      wins_vs_best_anchor: 1,
      coverage_80: 1,
      coverage_95: null,
      coverage_from: "rows",
      seconds: 3.5,
      seconds_of: "model",
    });
    expect(byModel.sf_autoets.wins_vs_best_anchor).toBeNull();
    expect(r.rows.map((row) => row.model)).toEqual(["auto", "sf_autoets", "r_ets", "holt_winters"]); // by mean MASE
    expect(r.per_series.c).toEqual({ r_ets: 2, sf_autoets: 1, holt_winters: 2, auto: expect.closeTo(0.9, 12) });
  });

  it("judges salescast by its auto row when there is one, even if another salescast row is better", () => {
    const r = report([
      ["sf_autoets", "statsforecast", [1, 1, 1]],
      ["holt_winters", "salescast", [0.5, 0.5, 0.5]],
      ["auto", "salescast", [1, 1, 1.3]],
    ]);
    expect(r.verdict).toMatchObject({ model: "auto", beats_every_anchor: false });
    expect(r.verdict!.text).toBe(
      "salescast auto: mean MASE 1.100 against the best anchor sf_autoets 1.000: does NOT beat every anchor; lower on 0 of 3 series.",
    );
  });

  it("judges salescast by its best row until an auto row exists", () => {
    const r = report([
      ["sf_autoets", "statsforecast", [1, 1, 1]],
      ["cnn_lstm", "salescast", [2, 2, 2]],
      ["holt_winters", "salescast", [0.5, 0.5, 2]],
    ]);
    expect(r.verdict).toMatchObject({ model: "holt_winters", beats_every_anchor: false });
    expect(r.verdict!.text).toMatch(
      /^salescast's best row \(holt_winters; no auto row yet\): mean MASE 1\.000 against the best anchor sf_autoets 1\.000: does NOT beat/,
    );
  });

  it("writes markdown with the best mean in bold, the verdict, the runs and the command", () => {
    const r = report(
      [
        ["r_ets", "R forecast", [2, 2, 2]],
        ["auto", "salescast", [0.5, 0.5, 0.5]],
      ],
      [{ ...run("mlforecast"), status: "skipped", reason: "the anchors venv could not be made", wallSeconds: undefined }],
    );
    const md = formatReportMarkdown(r);
    expect(md).toContain("| auto | salescast | **0.500** | 3/3 | - | - | 12.0† | - |");
    expect(md).toContain("| r_ets | R forecast | 2.000 | (best anchor) | 100.0% | - | 3.5 | - |");
    expect(md).toContain("**salescast auto: mean MASE 0.500 against the best anchor r_ets 2.000: beats every anchor; lower on 3 of 3 series.**");
    expect(md).toContain("mlforecast skipped (the anchors venv could not be made)");
    expect(md).toContain("Command: `npm run bench:accuracy -- --data toy.csv`");
    expect(formatReportText(r)).toMatch(/^auto\s+salescast\s+0\.500\s+3\/3/m);
  });

  it("says which series a model could not be scored on", () => {
    const partial = rows("sf_autoets", [1, 1, 1]).slice(0, 2);
    const r = buildReport({
      dataset: "toy",
      command: "x",
      data: { path: "toy.csv", sha256: "abc", frequency: "D", series: 3 },
      protocol: { ...protocol, cutoffs: { first: "2024-01-02", last: "2024-01-02", other_series: {} }, mase_lags: [1, 1, 1] },
      scores: scoreForecasts(series, protocol, [...partial, ...rows("auto", [2, 2, 2])]),
      runs: [run("salescast"), run("statsforecast")],
      sources: new Map<string, Source>([
        ["sf_autoets", "statsforecast"],
        ["auto", "salescast"],
      ]),
      machine: { cores: 2, load_average: [0, 0, 0] },
      versions: {},
    });
    expect(r.notes).toContain("sf_autoets: left out of its mean, forecasts missing or not finite on 1 series: c (0/1)");
    expect(r.rows.find((row) => row.model === "auto")).toMatchObject({ wins_vs_best_anchor: 0, compared: 2 });
  });

  it("puts each salescast kind's seconds per fit beside the anchor of the same family, as a ratio, from the runs that timed them", () => {
    const timedRun = (source: Source, seconds: [string, number, number][]): ToolRun => ({
      ...run(source),
      modelSeconds: new Map(seconds.map(([m, s]) => [m, s])),
      modelFits: new Map(seconds.map(([m, , fits]) => [m, fits])),
    });
    const r = report(
      [
        ["sf_autoets", "statsforecast", [1, 1, 1]],
        ["ets", "salescast", [1, 1, 1]],
        ["theta", "salescast", [1, 1, 1]],
      ],
      // salescast: ets 6 s over 12 fits (0.5 s each); theta has no anchor row here; the statsforecast run below times autoets 4 s over 2 fits.
      [
        timedRun("salescast", [
          ["ets", 6, 12],
          ["theta", 1, 12],
        ]),
        timedRun("statsforecast", [["sf_autoets", 4, 2]]),
      ],
    );
    expect(r.speed).toEqual([{ salescast: "ets", anchor: "sf_autoets", salescast_seconds_per_fit: 0.5, anchor_seconds_per_fit: 2, ratio: 0.25 }]);
    expect(r.rows.find((row) => row.model === "ets")).toMatchObject({ seconds: 6, seconds_of: "model", seconds_per_fit: 0.5 });
    expect(formatReportMarkdown(r)).toContain("| ets | sf_autoets | 0.5000 | 2.0000 | 0.25× |");
  });
});
