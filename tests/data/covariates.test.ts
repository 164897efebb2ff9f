// Covariate columns read from the sales file: per category (long) or per day (wide), weekly
// means, filling, and the errors a user can cause.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configSchema } from "../../src/config/schema.js";
import { covariatePeriods, loadCovariates } from "../../src/data/covariates.js";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "salescast-covariates-"));
  await writeFile(
    join(root, "long.csv"),
    [
      "Date,Product Category,Total Amount,Promo,Note",
      "2024-01-01,A,10,1,x",
      "2024-01-01,A,12,0,x", // two rows on one day: the mean, 0.5
      "2024-01-01,B,5,0,x",
      "2024-01-02,A,11,,x", // empty: left out
      "2024-01-03,A,9,1,x",
      "2024-01-03,B,7,1,x",
    ].join("\n"),
  );
  await writeFile(join(root, "wide.csv"), ["date,X,Y,promo", "2024-01-01,1,2,0", "2024-01-02,3,4,1", "2024-01-03,5,6,1"].join("\n"));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const settings = (file: string, extra: Record<string, unknown> = {}) => configSchema.parse({ data: { csv_path: join(root, file), ...extra } }).data;

describe("loadCovariates", () => {
  it("reads per category and day in the long layout (mean of the rows, empty cells left out)", async () => {
    const data = await loadCovariates(settings("long.csv"), ["Promo"]);
    expect(data.names).toEqual(["Promo"]);
    const a = data.byCategory.A;
    expect(a.days).toEqual([19_723, 19_724, 19_725]);
    expect(a.values[0]).toEqual([0.5]);
    expect(a.values[1][0]).toBeNaN();
    expect(data.byCategory.B.values).toEqual([[0], [1]]);
    // Daily periods; a day without a value is filled (zero, or the previous period's value).
    expect(Array.from(covariatePeriods(data, "A", "2024-01-01", 4, "D", "zero")[0])).toEqual([0.5, 0, 1, 0]);
    expect(Array.from(covariatePeriods(data, "A", "2024-01-01", 4, "D", "previous")[0])).toEqual([0.5, 0.5, 1, 1]);
    // Weekly: the mean of the days that have a value.
    expect(Array.from(covariatePeriods(data, "A", "2024-01-01", 1, "W", "zero")[0])).toEqual([0.75]);
  });

  it("reads per day in the wide layout, the same for every series", async () => {
    const data = await loadCovariates(settings("wide.csv", { layout: "wide", date_column: "date", series_columns: ["X", "Y"] }), ["promo"]);
    expect(Array.from(covariatePeriods(data, "X", "2024-01-01", 3, "D", "zero")[0])).toEqual([0, 1, 1]);
    expect(Array.from(covariatePeriods(data, "Y", "2024-01-02", 2, "D", "zero")[0])).toEqual([1, 1]);
  });

  it("reads a 0/1 column as a covariate when the wide series are detected: detection takes it for a flag, not a series", async () => {
    const data = await loadCovariates(settings("wide.csv", { layout: "wide", date_column: "date" }), ["promo"]);
    expect(Array.from(covariatePeriods(data, "X", "2024-01-01", 3, "D", "zero")[0])).toEqual([0, 1, 1]);
  });

  it("names the columns there are when a covariate column is missing", async () => {
    await expect(loadCovariates(settings("long.csv"), ["Promotion"])).rejects.toThrow(
      /Column "Promotion" \(model\.features\.covariates\) not found in .*long\.csv\. Columns found: "Date", "Product Category", "Total Amount", "Promo", "Note"/,
    );
  });

  it("refuses a covariate that would also be read as a series, and one without numbers", async () => {
    await expect(loadCovariates(settings("wide.csv", { layout: "wide", date_column: "date", series_columns: ["X", "promo"] }), ["promo"])).rejects.toThrow(
      /Covariate column "promo" would also be read as a series[\s\S]*data\.series_columns/,
    );
    await expect(loadCovariates(settings("long.csv"), ["Note"])).rejects.toThrow(/Covariate column "Note" of .* has no numeric values/);
  });
});
