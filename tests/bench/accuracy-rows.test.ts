// Reading the forecasts every source writes into the bench's rows: `salescast backtest --out`
// (made here by salescast's own writer, so a change of its format shows), the anchor runners'
// long CSV; and the checks that stop the bench when salescast's cutoffs or data differ.
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../bench/accuracy-csv.js";
import { ProtocolError, scoreForecasts, type BenchSeries, type Protocol } from "../../bench/accuracy-protocol.js";
import { checkSameActuals, checkSameCutoffs, parseAnchorRows, parseSalescastRows } from "../../bench/accuracy-rows.js";
import { backtestRowsCsv } from "../../src/backtest/format.js";
import type { BacktestRow } from "../../src/backtest/types.js";

function daily(id: string, values: number[]): BenchSeries {
  return { id, values: Float64Array.from(values), dates: values.map((_, i) => `2024-01-${String(i + 1).padStart(2, "0")}`) };
}

const protocol: Protocol = { horizon: 2, windows: 2, step: 1, season: 7 };
const names = ["Store, NY", "=SUM(A1)"]; // a comma to quote; a formula the writer defuses
const series = names.map((id) => daily(id, [1, 3, 2, 4, 3, 5, 4, 6]));

/** What salescast backtest writes for these series, cutoffs `cutoffs` (dates of the last day seen). */
function backtestRows(cutoffs: string[], models = ["cnn_lstm", "holt_winters"], actualShift = 0): BacktestRow[] {
  const rows: BacktestRow[] = [];
  for (const s of series) {
    for (const model of models) {
      for (const cutoff of cutoffs) {
        const seen = s.dates.indexOf(cutoff) + 1;
        for (let step = 1; step <= protocol.horizon; step++) {
          const actual = s.values[seen + step - 1] + actualShift;
          rows.push({ category: s.id, model, cutoff, step, date: s.dates[seen + step - 1], forecast: 4, actual, error: actual - 4 });
        }
      }
    }
  }
  return rows;
}

describe("salescast backtest --out rows", () => {
  it("reads every model's rows from salescast's own writer, names quoted or defused read back", () => {
    const csv = backtestRowsCsv(backtestRows(["2024-01-05", "2024-01-06"]));
    expect(csv).toContain('"Store, NY"');
    expect(csv).toContain("'=SUM(A1)");
    const rows = parseSalescastRows(csv, names);
    expect(rows).toHaveLength(16);
    expect(new Set(rows.map((r) => r.series))).toEqual(new Set(names));
    expect(new Set(rows.map((r) => r.model))).toEqual(new Set(["cnn_lstm", "holt_winters"]));
    expect(rows[1]).toMatchObject({ cutoff: "2024-01-05", date: "2024-01-07", step: 2, forecast: 4, actual: 4 });
    // and the rows score: every model becomes a row of the table, whatever its name
    const { models } = scoreForecasts(series, protocol, rows);
    expect(models.map((m) => m.model)).toEqual(["cnn_lstm", "holt_winters"]);
    // errors |5-4|, |4-4|, |4-4|, |6-4| = 1, 0, 0, 2 over the lag-1 scale 1.5
    expect(models[0].meanMase).toBeCloseTo(0.75 / 1.5, 12);
  });

  it("reads lo_L/hi_L interval columns when the rows have them", () => {
    const csv =
      "category,model,cutoff,step,date,forecast,actual,error,lo_80,hi_80\nx,auto,2024-01-05,1,2024-01-06,4,5,1,3,6\nx,auto,2024-01-05,2,2024-01-07,4,4,0,,\n";
    const rows = parseSalescastRows(csv, ["x"]);
    expect(rows[0].bounds).toEqual(new Map([[80, [3, 6]]]));
    expect(rows[1].bounds.size).toBe(0);
  });

  it("names the missing column and the columns found", () => {
    expect(() => parseSalescastRows("category,model,cutoff,date,forecast\nx,m,2024-01-01,2024-01-02,1\n", ["x"])).toThrow(
      /has no column step, actual, error: found category, model, cutoff, date, forecast/,
    );
  });
});

describe("the cutoff check", () => {
  it("passes when every series and model has the protocol's cutoffs", () => {
    const rows = parseSalescastRows(backtestRowsCsv(backtestRows(["2024-01-05", "2024-01-06"])), names);
    expect(() => checkSameCutoffs(rows, series, protocol)).not.toThrow();
    expect(() => checkSameActuals(rows, series)).not.toThrow();
  });

  it("fails loudly when salescast's backtest ran other windows", () => {
    // --step 2 instead of 1: cutoffs 2024-01-04 and 2024-01-06
    const rows = parseSalescastRows(backtestRowsCsv(backtestRows(["2024-01-04", "2024-01-06"])), names);
    expect(() => checkSameCutoffs(rows, series, protocol)).toThrow(ProtocolError);
    expect(() => checkSameCutoffs(rows, series, protocol)).toThrow(
      /cutoffs differ from the anchors' for series Store, NY, model cnn_lstm: the protocol's are 2024-01-05 \.\. 2024-01-06 .*missing 2024-01-05; not in the protocol: 2024-01-04\. Run the backtest with --horizon 2 --windows 2 --step 1/,
    );
  });

  it("fails when one model lacks a cutoff, even if the others have it", () => {
    const rows = backtestRows(["2024-01-05", "2024-01-06"]).filter((r) => !(r.model === "holt_winters" && r.cutoff === "2024-01-06"));
    expect(() => checkSameCutoffs(parseSalescastRows(backtestRowsCsv(rows), names), series, protocol)).toThrow(/model holt_winters: .*missing 2024-01-06/);
  });

  it("fails when salescast has a series the bench's data does not", () => {
    const rows = parseSalescastRows(backtestRowsCsv(backtestRows(["2024-01-05", "2024-01-06"])), names);
    expect(() => checkSameCutoffs(rows, series.slice(0, 1), protocol)).toThrow(/rows for "=SUM\(A1\)", which the data read by the bench does not have/);
  });

  it("fails when salescast compared with other actual values (other data)", () => {
    const rows = parseSalescastRows(backtestRowsCsv(backtestRows(["2024-01-05", "2024-01-06"], ["naive"], 0.5)), names);
    expect(() => checkSameActuals(rows, series)).toThrow(/saw 5.5 for series Store, NY on 2024-01-06 where the bench's data has 5/);
  });
});

describe("anchor rows", () => {
  it("reads unique_id,cutoff,ds,model,y_hat with R's quoting and optional interval columns", () => {
    const csv =
      '"unique_id","cutoff","ds","model","y_hat","lo_80","hi_80","lo_95","hi_95"\n"a","2024-01-05","2024-01-06","r_ets",4.5,4,5,3,6\n"a","2024-01-05","2024-01-07","sf_ensemble",NaN,,,,\n';
    const rows = parseAnchorRows(csv, "r.csv");
    expect(rows[0]).toEqual({
      series: "a",
      model: "r_ets",
      cutoff: "2024-01-05",
      date: "2024-01-06",
      forecast: 4.5,
      bounds: new Map([
        [80, [4, 5]],
        [95, [3, 6]],
      ]),
    });
    expect(rows[1].forecast).toBeNaN();
    expect(rows[1].bounds.size).toBe(0);
  });

  it("refuses a lo_ column without its hi_", () => {
    expect(() => parseAnchorRows("unique_id,cutoff,ds,model,y_hat,lo_80\na,b,c,d,1,2\n", "x.csv")).toThrow(/x.csv has lo_80 but no hi_80/);
  });
});

describe("parseCsv", () => {
  it("reads quoted cells with commas, doubled quotes and line breaks, CRLF and a BOM", () => {
    const text = '\ufeffa,b\r\n"x, y","say ""hi"""\r\n"two\nlines",2\r\n';
    expect(parseCsv(text, "t.csv")).toEqual([
      { a: "x, y", b: 'say "hi"' },
      { a: "two\nlines", b: "2" },
    ]);
  });

  it("says which line has the wrong number of cells, and when a quote is never closed", () => {
    expect(() => parseCsv("a,b\n1,2\n3\n", "t.csv")).toThrow("t.csv, line 3: 1 cells where the header has 2 (a,b).");
    expect(() => parseCsv('a\n"open\n', "t.csv")).toThrow(/quoted cell is not closed/);
    expect(() => parseCsv("", "t.csv")).toThrow(/t.csv is empty/);
  });
});
