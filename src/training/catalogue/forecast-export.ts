// Writing a stored catalogue's forecast table to a file a user named (--out) or into bytes the
// API streams: CSV as it is generated, Parquet converted from that CSV by DuckDB, both through
// a temporary file renamed into place (nothing half-written).
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { quoteString } from "../../data/sql.js";
import { writeFileAtomic } from "../../util/atomic-file.js";
import { OutputTargetError, STDOUT_TARGET, writeOutputFile } from "../../util/output-file.js";
import { forecastCsv, forecastHeader } from "./forecast-table.js";
import type { StoredCatalogue } from "./version-files.js";

export type ForecastFormat = "csv" | "parquet";
export const FORECAST_FORMATS: readonly ForecastFormat[] = ["csv", "parquet"];

/** The format of an --out path: by its extension; "-" is CSV on standard output. */
export function formatOfPath(path: string): ForecastFormat {
  if (path === STDOUT_TARGET || /\.csv$/i.test(path)) return "csv";
  if (/\.parquet$/i.test(path)) return "parquet";
  throw new OutputTargetError(
    `--out ${path}: the forecasts are written as CSV or Parquet, chosen by the file's extension`,
    "give a name ending in .csv or .parquet, or - for CSV on standard output",
  );
}

/** The table as Parquet bytes (a temporary CSV converted by DuckDB, both removed). */
export async function forecastParquet(stored: StoredCatalogue, rows: readonly number[]): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), "salescast-forecasts-"));
  try {
    const csv = join(dir, "forecasts.csv");
    const parquet = join(dir, "forecasts.parquet");
    await writeFileAtomic(csv, forecastCsv(stored, rows));
    const columns = forecastHeader(stored).map(
      (name) => `${quoteString(name)}: '${name === "level" || name === "series" ? "VARCHAR" : name === "date" ? "DATE" : "DOUBLE"}'`,
    );
    const { DuckDBInstance } = await import("@duckdb/node-api");
    const instance = await DuckDBInstance.create(":memory:", { memory_limit: "1GB", temp_directory: join(dir, "duckdb") });
    const connection = await instance.connect();
    try {
      await connection.run(
        `COPY (SELECT * FROM read_csv(${quoteString(csv)}, header = true, columns = {${columns.join(", ")}})) TO ${quoteString(parquet)} (FORMAT parquet, COMPRESSION zstd)`,
      );
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    return new Uint8Array(await readFile(parquet));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Writes the table to `path` (CSV or Parquet by extension, "-" standard output). */
export async function writeForecastTable(
  stored: StoredCatalogue,
  rows: readonly number[],
  path: string,
): Promise<{ format: ForecastFormat; where: "stdout" | "file" }> {
  const format = formatOfPath(path);
  if (format === "csv") return { format, where: await writeOutputFile(path, forecastCsv(stored, rows)) };
  return { format, where: await writeOutputFile(path, await forecastParquet(stored, rows), { binary: true }) };
}
