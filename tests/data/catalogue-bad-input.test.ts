// A catalogue (data.series_key) with bad rows: what is refused, what is accepted, and what the
// messages say.
import { describe, expect, it } from "vitest";
import { DataError } from "../../src/data/errors.js";
import { loadSales } from "../../src/data/ingest.js";
import { lifecycleNotes, summarize, summaryJson } from "../../src/data/summary.js";
import { csv, dataError, settings, useTempDir } from "./helpers.js";

const temp = useTempDir();
const HEADER = "date,state_id,store_id,item_id,sales";
const KEYED = { date_column: "date", value_column: "sales", series_key: ["store_id", "item_id"] };
const file = (name: string, rows: string[]) => temp.file(name, csv(HEADER, rows));

const GOOD = [
  "2024-01-01,CA,CA_1,A,1",
  "2024-01-01,CA,CA_1,B,2",
  "2024-01-01,TX,TX_1,A,3",
  "2024-01-02,CA,CA_1,A,4",
  "2024-01-02,CA,CA_1,B,5",
  "2024-01-02,TX,TX_1,A,6",
  "2024-01-03,CA,CA_1,A,7",
  "2024-01-03,CA,CA_1,B,8",
  "2024-01-03,TX,TX_1,A,9",
];

describe("series keys missing in some rows", () => {
  it("an empty key cell is refused, naming the row, the line, the column and how many rows", async () => {
    const path = file("missing-key.csv", [...GOOD, "2024-01-04,CA,,A,1", "2024-01-04,CA,CA_1,  ,1"]);
    const error = await dataError(loadSales(settings({ csv_path: path, ...KEYED })));
    expect(error.problem).toContain(`Data row 10 (line 11) of ${path} has no value in column "store_id" (data.series_key).`);
    expect(error.problem).toContain("2 rows miss a key value; this is the first.");
    expect(error.hint).toContain('"store_id", "item_id"');
  });

  it("a key column the file does not have is refused with the columns found", async () => {
    const path = file("no-column.csv", GOOD);
    const error = await dataError(loadSales(settings({ csv_path: path, ...KEYED, series_key: ["store_id", "sku"] })));
    expect(error.problem).toContain('Column "sku" (data.series_key) not found');
    expect(error.problem).toContain('"store_id", "item_id"');
  });
});

describe("items that start or stop selling mid-history", () => {
  const rows = [
    ...GOOD,
    // B launched on day 3 in TX; A stops in TX after day 3; CA_1/A sells on until day 5.
    "2024-01-03,TX,TX_1,B,10",
    "2024-01-04,TX,TX_1,B,11",
    "2024-01-05,TX,TX_1,B,12",
    "2024-01-04,CA,CA_1,A,13",
    "2024-01-05,CA,CA_1,A,14",
    "2024-01-05,CA,CA_1,B,15",
  ];

  it("are kept with their own calendar, count 0 outside it in the level series, and the summary names them", async () => {
    const data = await loadSales(settings({ csv_path: file("lifecycle.csv", rows), ...KEYED, hierarchy: [[], ["state_id"]] }));
    const byName = Object.fromEntries(data.series.map((s) => [s.category, s]));
    expect(byName["TX_1/B"].start).toBe("2024-01-03");
    expect(Array.from(byName["TX_1/B"].values)).toEqual([10, 11, 12]);
    expect(Array.from(byName["TX_1/A"].values)).toEqual([3, 6, 9]); // stops on day 3: not filled to the end
    // CA_1/B has no row on day 4: a gap inside its life, filled (data.fill: zero) and counted.
    expect(Array.from(byName["CA_1/B"].values)).toEqual([2, 5, 8, 0, 15]);
    expect(byName["CA_1/B"].filledPeriods).toBe(1);
    const h = data.catalogue!.hierarchy!;
    const tx = h.series[h.aggregates.findIndex((a) => a.name === "TX")];
    expect(tx.start).toBe("2024-01-01");
    expect(Array.from(tx.values)).toEqual([3, 6, 19, 11, 12]);
    const notes = lifecycleNotes(summarize(data));
    expect(notes[0]).toContain('1 series start after 2024-01-01 (no row before, launched mid-history): "TX_1/B"');
    expect(notes[1]).toContain('1 series stop before 2024-01-05 (no row after, discontinued?): "TX_1/A"');
    expect(notes[1]).toContain("data.available_categories");
    const json = summaryJson(summarize(data));
    expect(json.catalogue?.started_late).toEqual({ count: 1, examples: ["TX_1/B"] });
    expect(json.catalogue?.stopped_early).toEqual({ count: 1, examples: ["TX_1/A"] });
  });

  it("fill previous repeats the last value only inside a series' life, never before its launch", async () => {
    const data = await loadSales(settings({ csv_path: file("lifecycle-prev.csv", rows), ...KEYED, fill: "previous" }));
    const byName = Object.fromEntries(data.series.map((s) => [s.category, s]));
    expect(Array.from(byName["CA_1/B"].values)).toEqual([2, 5, 8, 8, 15]);
    expect(Array.from(byName["TX_1/B"].values)).toEqual([10, 11, 12]);
  });
});

describe("duplicated key/date rows", () => {
  const rows = [...GOOD, "2024-01-02,CA,CA_1,B,5"];

  it("are refused by default with series_key, naming the series, the date and the rows", async () => {
    const path = file("duplicate.csv", rows);
    const error = await dataError(loadSales(settings({ csv_path: path, ...KEYED })));
    expect(error.problem).toBe(`Series "CA_1/B" (store_id, item_id) has more than one row dated 2024-01-02 in ${path}: Data row 5 (line 6), Data row 10 (line 11).`);
    expect(error.hint).toContain("data.duplicates: sum");
  });

  it("a key written with different spaces is the same series, so its repeat is refused too", async () => {
    const error = await dataError(loadSales(settings({ csv_path: file("duplicate-space.csv", [...GOOD, "2024-01-02,CA, CA_1 ,B,5"]), ...KEYED })));
    expect(error.problem).toContain('Series "CA_1/B"');
  });

  it("are summed with data.duplicates: sum (rows that are transactions)", async () => {
    const data = await loadSales(settings({ csv_path: file("duplicate-sum.csv", rows), ...KEYED, duplicates: "sum" }));
    const b = data.series.find((s) => s.category === "CA_1/B")!;
    expect(Array.from(b.values)).toEqual([2, 10, 8]);
  });
});

describe("hierarchy levels", () => {
  it("a level naming an unknown column is refused, naming the level, the column and the columns found", async () => {
    const path = file("levels.csv", GOOD);
    const error = await dataError(loadSales(settings({ csv_path: path, ...KEYED, hierarchy: [[], ["state_id"], ["region"]] })));
    expect(error).toBeInstanceOf(DataError);
    expect(error.problem).toContain(`Column "region" (data.hierarchy) not found in ${path}. Columns found: "date", "state_id", "store_id", "item_id", "sales".`);
    expect(error.hint).toContain("level [region] names a column the file does not have");
  });

  it("a level column with two values within one series is refused: a level must group whole series", async () => {
    const path = file("two-states.csv", [...GOOD, "2024-01-04,TX,CA_1,A,1"]);
    const error = await dataError(loadSales(settings({ csv_path: path, ...KEYED, hierarchy: [["state_id"]] })));
    expect(error.problem).toContain('Series "CA_1/A" (data.series_key: store_id, item_id) has more than one value of column "state_id": "CA" and "TX".');
    expect(error.hint).toContain('add "state_id" to data.series_key');
  });

  it("a level value written with different spaces is one value, not a second state", async () => {
    const data = await loadSales(settings({ csv_path: file("state-spaces.csv", [...GOOD, "2024-01-04, CA ,CA_1,A,1"]), ...KEYED, hierarchy: [["state_id"]] }));
    const h = data.catalogue!.hierarchy!;
    expect(h.aggregates.map((a) => [a.name, a.bottom.length])).toEqual([["CA", 2], ["TX", 1]]);
    // The series' rows are counted once, whatever the spelling of its state.
    expect(data.series.find((s) => s.category === "CA_1/A")!.total).toBe(1 + 4 + 7 + 1);
  });

  it("a level column left empty is refused, naming the row", async () => {
    const path = file("empty-state.csv", [...GOOD, "2024-01-04,,CA_1,A,1"]);
    const error = await dataError(loadSales(settings({ csv_path: path, ...KEYED, hierarchy: [["state_id"]] })));
    expect(error.problem).toContain('Data row 10 (line 11)');
    expect(error.problem).toContain('no value in column "state_id" (a level of data.hierarchy)');
  });
});

describe("other bad rows of a catalogue", () => {
  it("a value that is not a number, or missing, names the row", async () => {
    let error = await dataError(loadSales(settings({ csv_path: file("bad-value.csv", [...GOOD, "2024-01-04,CA,CA_1,A,1,000"]), ...KEYED })));
    // 1,000 splits into an extra field: the CSV reader refuses the line.
    expect(error.problem).toMatch(/line/i);
    error = await dataError(loadSales(settings({ csv_path: file("text-value.csv", [...GOOD, "2024-01-04,CA,CA_1,A,ten"]), ...KEYED })));
    expect(error.problem).toContain('Data row 10 (line 11) of');
    expect(error.problem).toContain('"ten" in column "sales" is not a number.');
    error = await dataError(loadSales(settings({ csv_path: file("empty-value.csv", [...GOOD, "2024-01-04,CA,CA_1,A,"]), ...KEYED })));
    expect(error.problem).toContain('Data row 10 (line 11)');
    expect(error.problem).toContain('has no value in column "sales"');
  });

  it("a date that is not a date names the row and the text", async () => {
    const error = await dataError(loadSales(settings({ csv_path: file("bad-date.csv", [...GOOD, "04/01/2024,CA,CA_1,A,1"]), ...KEYED })));
    expect(error.problem).toContain('Data row 10 (line 11)');
    expect(error.problem).toContain('"04/01/2024" in column "date" is not a date (expected YYYY-MM-DD).');
  });

  it("the wide layout with series_key is refused with what to set", async () => {
    const error = await dataError(loadSales(settings({ csv_path: file("wide.csv", GOOD), ...KEYED, layout: "wide" })));
    expect(error.problem).toContain("data.series_key (store_id, item_id) needs data.layout: long");
  });

  it("a catalogue whose matrix would not fit the memory allowed is refused with its size", async () => {
    const { loadKeyedSales } = await import("../../src/data/keyed-ingest.js");
    const error = await dataError(loadKeyedSales(settings({ csv_path: file("big.csv", GOOD), ...KEYED }), { maxMatrixBytes: 64 }));
    expect(error.problem).toContain("holds 3 series over 3 periods (2024-01-01 .. 2024-01-03)");
    expect(error.hint).toContain("data.available_categories");
  });

  it("data.available_categories selects series by their joined names, and names the ones it cannot find", async () => {
    const path = file("select.csv", GOOD);
    const data = await loadSales(settings({ csv_path: path, ...KEYED, available_categories: ["TX_1/A", "CA_1/A"] }));
    expect(data.series.map((s) => s.category)).toEqual(["TX_1/A", "CA_1/A"]);
    const error = await dataError(loadSales(settings({ csv_path: path, ...KEYED, available_categories: ["CA_1 A"] })));
    expect(error.problem).toContain('Series "CA_1 A" (data.available_categories) not found');
    expect(error.hint).toContain("joined with /");
  });
});

describe("weekly periods and amounts too large", () => {
  it("data.frequency W sums each series' days into weeks anchored on the file's first date", async () => {
    const rows = ["2024-01-01,CA,CA_1,A,1", "2024-01-03,CA,CA_1,A,2", "2024-01-09,CA,CA_1,A,4", "2024-01-02,TX,TX_1,A,8", "2024-01-15,TX,TX_1,A,16"];
    const data = await loadSales(settings({ csv_path: file("weekly.csv", rows), ...KEYED, frequency: "W" }));
    const byName = Object.fromEntries(data.series.map((s) => [s.category, s]));
    expect([byName["CA_1/A"].start, Array.from(byName["CA_1/A"].values)]).toEqual(["2024-01-01", [3, 4]]);
    // TX_1/A: weeks of 01-01 and 01-15, the week between without rows filled with 0.
    expect([byName["TX_1/A"].start, Array.from(byName["TX_1/A"].values), byName["TX_1/A"].filledPeriods]).toEqual(["2024-01-01", [8, 0, 16], 1]);
  });

  it("amounts whose sum overflows are refused with the series", async () => {
    const error = await dataError(loadSales(settings({ csv_path: file("overflow.csv", [...GOOD, "2024-01-04,CA,CA_1,A,1e308", "2024-01-05,CA,CA_1,A,1e308"]), ...KEYED })));
    expect(error.problem).toContain('series "CA_1/A"');
    expect(error.problem).toContain("too large to compute with");
  });
});

describe("keys with /, spaces and unicode", () => {
  it("become distinct, reversible names", async () => {
    const path = temp.file(
      "unicode.csv",
      csv("date,store,item,sales", ["2024-01-01,Zürich Hbf,A/B,1", "2024-01-01,Zürich Hbf/A,B,2", "2024-01-01,店舗 1,🍎 50%,3", "2024-01-02,Zürich Hbf,A/B,4"]),
    );
    const data = await loadSales(settings({ csv_path: path, date_column: "date", value_column: "sales", series_key: ["store", "item"] }));
    expect(data.series.map((s) => s.category).sort()).toEqual(["Zürich Hbf/A%2FB", "Zürich Hbf%2FA/B", "店舗 1/🍎 50%25"].sort());
    expect(data.catalogue!.parts[data.series.findIndex((s) => s.category === "Zürich Hbf/A%2FB")]).toEqual(["Zürich Hbf", "A/B"]);
  });
});
