import { DuckDBInstance } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import { loadSales } from "../../src/data/ingest.js";
import { quoteString } from "../../src/data/sql.js";
import { dataError, settings, useTempDir } from "./helpers.js";

const temp = useTempDir();

async function writeParquet(path: string, select: string): Promise<void> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  await connection.run(`COPY (${select}) TO ${quoteString(path)} (FORMAT parquet)`);
  connection.closeSync();
  instance.closeSync();
}

describe("loadSales, Parquet input", () => {
  const long = temp.path("sales.parquet");
  const wide = temp.path("wide.PARQUET");

  beforeAll(async () => {
    // Typed columns (DATE, TIMESTAMP, DOUBLE), unlike CSV where everything is text.
    await writeParquet(
      long,
      `SELECT * FROM (VALUES
         (DATE '2023-03-01', 'Beauty', 10.5::DOUBLE),
         (DATE '2023-03-01', 'Beauty', 4.5::DOUBLE),
         (DATE '2023-03-03', 'Beauty', 7::DOUBLE),
         (DATE '2023-03-02', 'Clothing', 1::DOUBLE))
       AS t("Date", "Product Category", "Total Amount")`,
    );
    await writeParquet(
      wide,
      `SELECT * FROM (VALUES
         (TIMESTAMP '2023-03-01 00:00:00', 1::INTEGER, 2020::INTEGER),
         (TIMESTAMP '2023-03-02 00:00:00', 2::INTEGER, 2020::INTEGER))
       AS t("Date", "M01AB", "Year")`,
    );
  });

  it("reads a long Parquet file chosen by its .parquet extension", async () => {
    const data = await loadSales(settings({ csv_path: long }));
    expect(data.source.rows).toBe(4);
    expect(data.series.map((s) => [s.category, s.start, [...s.values], s.filledPeriods])).toEqual([
      ["Beauty", "2023-03-01", [15, 0, 7], 1],
      ["Clothing", "2023-03-02", [1], 0],
    ]);
  });

  it("reads a wide Parquet file with timestamps (extension in any case)", async () => {
    const data = await loadSales(settings({ csv_path: wide, layout: "wide" }));
    expect(data.series.map((s) => [s.category, s.start, [...s.values]])).toEqual([["M01AB", "2023-03-01", [1, 2]]]);
  });

  it("refuses a .parquet file that is not Parquet", async () => {
    const fake = temp.file("fake.parquet", "Date,Product Category,Total Amount\n2023-01-01,A,1\n");
    const error = await dataError(loadSales(settings({ csv_path: fake })));
    expect(error.message).toContain("as Parquet");
  });
});
