// The hostile-input corpus: one table, one row per kind of bad sales file, each with the
// outcome salescast promises (docs/data.md, "Hostile input"): a DataError whose message names
// the row or line and says how to fix it, or a documented normalisation. Cases already tested
// in tests/data/ are only listed in the doc, not repeated here: 0-byte file, header only,
// ragged lines, gzip/xlsx/binary, unparseable and US-format dates, thousands separators,
// currency signs, inf/nan, empty amounts and categories, a BOM, CRLF, ; tab | delimiters.
//
// The 2 GB file is generated and ingested only with SALESCAST_TEST_LARGE=1 (npm run test:large).
import { execFile } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvCell } from "../../src/data/csv-cell.js";
import { DataError } from "../../src/data/errors.js";
import { loadSales } from "../../src/data/ingest.js";
import type { DataSettings } from "../../src/data/types.js";
import { builtDistProblem } from "../built-dist.js";
import { settings as dataSettings } from "../data/helpers.js";
import { builtCliProblem, projectRoot } from "./helpers.js";

const HEADER = "Date,Product Category,Total Amount";
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "salescast-hostile-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const settings = (path: string) => dataSettings({ csv_path: path });

const lines = (...rows: string[]) => Buffer.from([HEADER, ...rows].join("\n") + "\n");

/** `count` daily rows of category A from 2023-01-01, amounts 10, 11, 12, ... */
const dailyRows = (count: number) =>
  Array.from({ length: count }, (_, i) => `${new Date(Date.UTC(2023, 0, 1) + i * 86_400_000).toISOString().slice(0, 10)},A,${10 + i}`);

interface RefusedCase {
  name: string;
  bytes: Buffer;
  /** Every part must appear in the message: where (row/line), what, and the fix. */
  message: Array<string | RegExp>;
}

const REFUSED: RefusedCase[] = [
  {
    name: "wrong delimiter: a comma header over semicolon rows",
    bytes: Buffer.from(`${HEADER}\n2023-01-01;A;5\n`),
    message: ['line 2 has 1 fields but the header (3): 2023-01-01;A;5 (split on ";" it has 3: use one delimiter in the header and the rows)'],
  },
  {
    name: "mixed date formats: ISO, then day/month/year",
    bytes: lines("2023-01-01,A,5", "2023-01-02,A,6", "03/01/2023,A,7"),
    message: ["Data row 3 (line 4)", '"03/01/2023" in column "Date" is not a date (expected YYYY-MM-DD)', "fix or remove the row"],
  },
  {
    name: "a date in the future (a typo in the year)",
    bytes: lines("2023-01-01,A,5", "2203-01-02,A,6", "2999-01-03,A,6"),
    message: ["Data row 2 (line 3)", '"2203-01-02" in column "Date" is in the future', "2 rows are dated after", "fix the date"],
  },
  {
    // Issue 14, item 4: 738,720 days, a 140 s training and a served model with MASE 41,099.
    name: "a mistyped ancient date (0001-01-01) after 200 valid days",
    bytes: lines(...dailyRows(200), "0001-01-01,A,5"),
    message: [
      "Data row 201 (line 202)",
      '"0001-01-01" in column "Date" is 738,520 days before the dates of "A"',
      "would be 99.973% of its calendar",
      "Fix the date (a typo in the year?)",
      'remove the rows of "A" dated before 2023-01-01',
    ],
  },
  {
    name: "a date a year typo away (2002 for 2022) from a short series",
    bytes: lines("2022-03-01,A,5", "2022-03-02,A,6", "2022-03-03,A,6", "2002-03-04,A,7"),
    message: ["Data row 4 (line 5)", '"2002-03-04" in column "Date"', 'days before the dates of "A"'],
  },
  {
    // Issue 14, item 9: "bug: the aggregate counted bad rows but the row search found none".
    name: "two amounts on one day whose sum overflows (1e308 + 1e308)",
    bytes: lines("2023-01-05,A,3", "2023-01-06,A,1e308", "2023-01-06,A,1e308"),
    message: [
      "Data row 2 (line 3)",
      '"1e308" in column "Total Amount" is the largest amount of "A"',
      "too large to compute with: its total exceeds",
      "Amounts must be below about 1e150",
    ],
  },
  {
    name: "huge amounts spread over days (each total finite, their squares not)",
    bytes: lines("2023-01-05,A,3", "2023-01-06,A,1e200", "2023-01-07,A,-2e200"),
    message: ["Data row 3 (line 4)", '"-2e200" in column "Total Amount" is the largest amount of "A"', "the sum of the squares of its totals"],
  },
  {
    // Issue 14, item 12: DuckDB's cast reads 1_000 as 1000.
    name: "a digit separator written as an underscore (1_000)",
    bytes: lines("2023-01-01,A,5", "2023-01-02,A,1_000"),
    message: ["Data row 2 (line 3)", '"1_000" in column "Total Amount" is not a number', "no thousands separators"],
  },
  {
    name: "a time of day that does not exist (25:99)",
    bytes: lines("2023-01-01,A,5", "2023-01-01T25:99:00Z,A,6"),
    message: ["Data row 2 (line 3)", '"2023-01-01T25:99:00Z" in column "Date" is not a date'],
  },
  {
    name: "an offset from UTC that does not exist (+25:00)",
    bytes: lines("2023-01-01,A,5", "2023-01-02T10:00:00+25:00,A,6"),
    message: ["Data row 2 (line 3)", '"2023-01-02T10:00:00+25:00" in column "Date" is not a date'],
  },
  {
    name: "a non-numeric amount",
    bytes: lines("2023-01-01,A,5", "2023-01-02,A,twelve"),
    message: ["Data row 2 (line 3)", '"twelve" in column "Total Amount" is not a number', "plain numbers"],
  },
  {
    name: "a formula in the amount column",
    bytes: lines('2023-01-01,A,"=1+2"'),
    message: ["Data row 1 (line 2)", '"=1+2" in column "Total Amount" is not a number'],
  },
  {
    name: "a line of 3 MB (no line break, or an unclosed quote)",
    bytes: Buffer.concat([lines("2023-01-01,A,5"), Buffer.from(`2023-01-02,${"x".repeat(3_000_000)},6\n`)]),
    message: ["line 3 is 3000013 bytes long, more than the 2000000 bytes a line may have"],
  },
  {
    name: "a quote that is never closed",
    bytes: lines('2023-01-01,"A,5', "2023-01-02,A,6"),
    message: ['line 2 opens a quote (") that is never closed'],
  },
  {
    name: "Latin-1 (Windows-1252) bytes in a category",
    bytes: Buffer.concat([lines("2023-01-01,A,5"), Buffer.from("2023-01-02,Caf\xe9,6\n", "latin1")]),
    message: ["line 3 is not UTF-8 text (the file is probably Latin-1 or Windows-1252); save the file as UTF-8"],
  },
  {
    name: "Latin-1 in the header (Catégorie)",
    bytes: Buffer.from("Date,Cat\xe9gorie,Total Amount\n2023-01-01,A,5\n", "latin1"),
    message: ["The header line of", "is not UTF-8 text (the file is probably Latin-1 or Windows-1252)", "Save the file as UTF-8"],
  },
  {
    name: "UTF-16 with a byte order mark (Excel's 'Unicode text')",
    bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${HEADER}\n2023-01-01,A,5\n`, "utf16le")]),
    message: ["is UTF-16 text; salescast reads UTF-8 CSV files", "Save it as UTF-8"],
  },
  {
    name: "UTF-16 big-endian without a byte order mark",
    bytes: Buffer.from(`${HEADER}\n2023-01-01,A,5\n`, "utf16le").swap16(),
    message: ["is UTF-16 text"],
  },
];

describe("hostile input: refused with the row and the fix", () => {
  it.each(REFUSED.map((c) => [c.name, c]))("%s", async (_, { name, bytes, message }) => {
    const path = join(dir, `${name.replace(/\W+/g, "_")}.csv`);
    await writeFile(path, bytes);
    let error: unknown;
    await loadSales(settings(path)).catch((e: unknown) => (error = e));
    expect(error, "expected a DataError").toBeInstanceOf(DataError);
    const text = (error as DataError).message;
    expect(text).toContain(path);
    for (const part of message) {
      if (typeof part === "string") expect(text).toContain(part);
      else expect(text).toMatch(part);
    }
    expect((error as DataError).hint ?? "").not.toBe(""); // always a second line saying how to fix it
  });
});

describe("hostile input: documented normalisations", () => {
  async function load(name: string, bytes: Buffer) {
    const path = join(dir, name);
    await writeFile(path, bytes);
    return loadSales(settings(path));
  }

  it("duplicated rows are summed: a transactions file legitimately repeats identical sales", async () => {
    const data = await load("dup.csv", lines("2023-01-01,A,5", "2023-01-01,A,5", "2023-01-02,A,1"));
    expect([...data.series[0].values]).toEqual([10, 1]);
    expect(data.source.rows).toBe(3);
  });

  it("negative amounts (returns) are kept and net the day's total", async () => {
    const data = await load("negative.csv", lines("2023-01-01,A,10", "2023-01-01,A,-4", "2023-01-02,A,-3"));
    expect([...data.series[0].values]).toEqual([6, -3]);
  });

  it("dates up to tomorrow (UTC) are accepted: a store east of UTC may already be there", async () => {
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const weekAgo = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    const data = await load("tomorrow.csv", lines(`${weekAgo},A,1`, `${tomorrow},A,2`));
    expect(data.series[0].values.at(-1)).toBe(2);
  });

  it("a formula-injection category is read as plain text, never evaluated", async () => {
    const hostile = "=cmd|' /C calc'!A0";
    const data = await load("formula.csv", lines(`2023-01-01,"${hostile}",5`, `2023-01-02,"${hostile}",7`, "2023-01-01,@SUM(A1),1"));
    const byName = new Map(data.series.map((s) => [s.category, [...s.values]]));
    expect([...byName.keys()].sort()).toEqual(["=cmd|' /C calc'!A0", "@SUM(A1)"]);
    expect(byName.get(hostile)).toEqual([5, 7]);
  });

  it("a very long category name is data; the registry refuses it when training (over 200 characters), never as a path", async () => {
    const long = "y".repeat(5000);
    const data = await load("long-category.csv", lines(`2023-01-01,${long},5`));
    expect(data.series[0].category).toBe(long);
    const { LocalRegistry } = await import("../../src/registry/index.js");
    await expect(new LocalRegistry(join(dir, "registry")).stage(long)).rejects.toThrow("the limit is 200");
  });
});

describe("CSV files salescast writes never carry a live formula", () => {
  it.each([
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ["+SUM(A1:A9)", "'+SUM(A1:A9)"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tx", "'\tx"],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ["Beauty, Hair", '"Beauty, Hair"'],
    ["Beauty", "Beauty"],
    ["-5", "-5"],
  ])("text %j is written as %j", (text, written) => {
    expect(csvCell(text)).toBe(written);
  });

  it("numbers are never changed", () => {
    expect(csvCell(-5.25)).toBe("-5.25");
    expect(csvCell(1e-7)).toBe("1e-7");
  });
});

// The 2 GB file: streamed to disk (never held in memory), ingested by the built code in a
// child process whose peak RSS is read back. Slow: only with SALESCAST_TEST_LARGE=1.
const large = process.env.SALESCAST_TEST_LARGE === "1";
const ingestProblem = builtDistProblem(["dist/src/data/ingest.js"], ["src/data", "src/util"]);

interface ChildIngest {
  seconds: number;
  maxRssKiB: number;
  rows: number;
  series: Array<[string, number, number]>;
}

/** loadSales of the built code in a child process, so its peak RSS is its own (not the test runner's). */
async function loadSalesInChild(config: DataSettings): Promise<ChildIngest> {
  const script = join(dir, "ingest-child.mjs");
  await writeFile(
    script,
    `const { loadSales } = await import(${JSON.stringify(pathToFileURL(join(projectRoot, "dist/src/data/ingest.js")).href)});
     const started = performance.now();
     const data = await loadSales(JSON.parse(process.argv[2]));
     console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000, maxRssKiB: process.resourceUsage().maxRSS,
       rows: data.source.rows, series: data.series.map((s) => [s.category, s.values.length, s.total]) }));`,
  );
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, [script, JSON.stringify(config)], { maxBuffer: 16 << 20 }, (error, out, err) =>
      error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out),
    ),
  );
  return JSON.parse(stdout) as ChildIngest;
}

// Issue 14, item 3: detecting the series of a wide file (data.series_columns: []) took 2.9 GB and
// 20 s for 1,000 columns of 28 rows, where listing the same columns took 204 MB; 5,000 columns ran
// DuckDB out of memory. Detection must cost about what reading the listed columns costs.
describe.skipIf(ingestProblem !== undefined)(`a wide file of 2,000 columns and 28 rows${ingestProblem ? ` [skipped: ${ingestProblem}]` : ""}`, () => {
  it("detects its series within the memory that reading the same columns listed takes", async () => {
    const columns = Array.from({ length: 2000 }, (_, i) => `S${i}`);
    const rows = Array.from({ length: 28 }, (_, d) => {
      const date = new Date(Date.UTC(2023, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
      return `${date},${columns.map((_, i) => ((d * 7 + i) % 50) + 1).join(",")}`;
    });
    const path = join(dir, "wide-2000.csv");
    await writeFile(path, [`Date,${columns.join(",")}`, ...rows].join("\n") + "\n");
    const wide = { ...settings(path), layout: "wide" as const };
    const listed = await loadSalesInChild({ ...wide, series_columns: columns });
    const detected = await loadSalesInChild(wide);
    console.log(
      `wide 2,000 columns: detected ${(detected.maxRssKiB / 1024).toFixed(0)} MiB peak, ${detected.seconds.toFixed(1)} s; ` +
        `listed ${(listed.maxRssKiB / 1024).toFixed(0)} MiB peak, ${listed.seconds.toFixed(1)} s`,
    );
    expect(detected.series.map(([name]) => name)).toEqual(columns);
    expect(detected.series).toEqual(listed.series);
    // Before the fix: about 14 times the listed run's peak (and 5,000 columns failed outright).
    expect(detected.maxRssKiB).toBeLessThan(listed.maxRssKiB * 1.5);
  }, 300_000);
});
const largeProblem = large ? builtCliProblem() : undefined;
describe.skipIf(!large || largeProblem !== undefined)(
  `a 2 GB CSV${large ? (largeProblem ? ` [skipped: ${largeProblem}]` : "") : " [skipped: set SALESCAST_TEST_LARGE=1, or npm run test:large]"}`,
  () => {
    it("is ingested in one streaming pass with peak RSS far below its size", async () => {
      const path = join(dir, "large.csv");
      const target = 2 * 1024 ** 3;
      const generated = performance.now();
      const rows = await writeLargeCsv(path, target);
      const bytes = (await stat(path)).size;
      const generateSeconds = (performance.now() - generated) / 1000;
      expect(bytes).toBeGreaterThanOrEqual(target);

      const result = await loadSalesInChild(settings(path));
      const peakMiB = result.maxRssKiB / 1024;
      console.log(
        `2 GB ingest: ${(bytes / 1024 ** 3).toFixed(2)} GiB, ${rows} rows; generated in ${generateSeconds.toFixed(1)} s; ` +
          `loadSales ${result.seconds.toFixed(1)} s, peak RSS ${peakMiB.toFixed(0)} MiB`,
      );
      expect(result.rows).toBe(rows);
      expect(result.series.map(([category]) => category)).toEqual(["Beauty", "Clothing", "Electronics"]);
      // DuckDB is capped at 1 GB; the file is never read into JavaScript.
      expect(peakMiB).toBeLessThan(bytes / 1024 ** 2 / 3);
    }, 900_000);
  },
);

/** Writes rows until the file reaches `target` bytes, 1 MiB chunks with back-pressure; returns the rows written. */
async function writeLargeCsv(path: string, target: number): Promise<number> {
  const out = createWriteStream(path);
  const categories = ["Beauty", "Clothing", "Electronics"];
  const first = Date.UTC(2015, 0, 1);
  const dates = Array.from({ length: 3000 }, (_, i) => new Date(first + i * 86_400_000).toISOString().slice(0, 10));
  let written = 0;
  let rows = 0;
  out.write(`Transaction ID,${HEADER},Note\n`);
  const filler = "x".repeat(40);
  while (written < target) {
    const chunk: string[] = [];
    let size = 0;
    while (size < 1 << 20) {
      const line = `${rows + 1},${dates[rows % 3000]},${categories[rows % 3]},${(rows % 997) + 0.5},${filler}\n`;
      chunk.push(line);
      size += line.length;
      rows++;
    }
    written += size;
    if (!out.write(chunk.join(""))) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
  }
  await new Promise<void>((resolve, reject) => {
    out.once("error", reject);
    out.end(() => resolve());
  });
  return rows;
}
