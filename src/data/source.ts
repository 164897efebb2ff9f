// Opening a data file with DuckDB: file checks, the FROM expression for CSV or Parquet, the
// column list, and matching configured column names against it.

import { stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { DataError } from "./errors.js";
import { describeCsvError, readCsvHeader } from "./csv-header.js";
import { quoteString } from "./sql.js";

/**
 * DuckDB's defaults take 80% of RAM and spill into ./.tmp. Aggregating sales needs one hash
 * table of category x day, so a fixed cap keeps ingestion beside training and serving, and
 * spilling (never expected) goes to the system temp folder instead of the project.
 */
const DUCKDB_OPTIONS: Record<string, string> = {
  memory_limit: "1GB",
  temp_directory: join(tmpdir(), "salescast-duckdb"),
};

export type SourceKind = "csv" | "parquet";

export interface DataSource {
  /** Absolute path of the file. */
  path: string;
  kind: SourceKind;
  /** SQL table expression that reads the file (every CSV column as VARCHAR). */
  relation: string;
  /** Column names in file order. */
  columns: string[];
  /** DuckDB type of each column, in file order (CSV: every column VARCHAR; read as text by design). */
  columnTypes?: string[];
  connection: DuckDBConnection;
  close(): void;
}

export function sourceKindOf(path: string): SourceKind {
  return path.toLowerCase().endsWith(".parquet") ? "parquet" : "csv";
}

export async function openSource(configuredPath: string): Promise<DataSource> {
  const path = resolve(configuredPath);
  await checkFile(configuredPath, path);
  const kind = sourceKindOf(path);
  const header = kind === "csv" ? await readCsvHeader(path) : undefined;
  const instance = await DuckDBInstance.create(":memory:", DUCKDB_OPTIONS);
  const connection = await instance.connect();
  const close = () => {
    connection.closeSync();
    instance.closeSync();
  };
  if (header) {
    return { path, kind, relation: csvRelation(path, header), columns: header.columns, connection, close };
  }
  const relation = `read_parquet(${quoteString(path)})`;
  try {
    const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${relation}`);
    const rows = described.getRowObjectsJS();
    const columns = rows.map((row) => String(row.column_name));
    const columnTypes = rows.map((row) => String(row.column_type));
    return { path, kind, relation, columns, columnTypes, connection, close };
  } catch (error) {
    close();
    throw unreadableFile(path, kind, error);
  }
}

/**
 * A fixed dialect, no sniffing: header on line 1, the delimiter found in it, double quotes,
 * every column VARCHAR (values are validated by our SQL, see sql.ts), and strict rows (a line
 * with too many or too few fields is an error, not padded or skipped).
 */
function csvRelation(path: string, header: { delimiter: string; columns: string[] }): string {
  const columns = header.columns.map((name) => `${quoteString(name)}: 'VARCHAR'`).join(", ");
  return (
    `read_csv(${quoteString(path)}, auto_detect = false, header = true, delim = ${quoteString(header.delimiter)}, ` +
    `quote = '"', escape = '"', strict_mode = true, columns = {${columns}})`
  );
}

async function checkFile(configuredPath: string, path: string): Promise<void> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) {
      throw new DataError(`Data path is not a file: ${path}`, "Set data.csv_path to a CSV or Parquet file.");
    }
    size = info.size;
  } catch (error) {
    if (error instanceof DataError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const where = configuredPath === path ? path : `${path} (data.csv_path "${configuredPath}")`;
    if (code === "ENOENT") {
      throw new DataError(
        `Data file not found: ${where}`,
        "Set data.csv_path in config/config.yaml (relative paths start from the working folder), " +
          "or run `salescast demo-data` to write a demo transactions file.",
      );
    }
    throw new DataError(`Cannot read data file ${where}: ${(error as Error).message}`, "Check the path and its permissions.");
  }
  if (size === 0) {
    throw new DataError(
      `Data file is empty (0 bytes): ${path}`,
      "The file needs a header line and at least one data row; run `salescast demo-data` for an example.",
    );
  }
}

export function unreadableFile(path: string, kind: SourceKind, error: unknown): DataError {
  const message = error instanceof Error ? error.message : String(error);
  if (/Out of Memory Error/i.test(message)) {
    // Not a problem of the file's format: say what ran out, not "must be delimited text".
    return new DataError(
      `Reading ${path} needed more than the ${DUCKDB_OPTIONS.memory_limit} of memory salescast gives DuckDB: ${message.split("\n")[0]}`,
      "Report this with the file's shape (rows, columns): ingestion is meant to stay within that limit.",
    );
  }
  const reason = kind === "csv" ? describeCsvError(message) : message.split("\n")[0];
  return kind === "parquet"
    ? new DataError(`Cannot read ${path} as Parquet: ${reason}`, "Check that the file is a valid Parquet file.")
    : new DataError(
        `Cannot read ${path} as CSV: ${reason}`,
        "The file must be delimited text with a header line and the same number of fields on every line; " +
          "Parquet files must end in .parquet.",
      );
}

/**
 * The file's column for a configured name: the exact name, else the one column equal to it
 * ignoring case and surrounding spaces. Missing => DataError naming the columns found and the
 * config key to change.
 */
export function resolveColumn(source: Pick<DataSource, "path" | "columns">, wanted: string, configKey: string, extraHint = ""): string {
  if (source.columns.includes(wanted)) return wanted;
  const folded = wanted.trim().toLowerCase();
  const matches = source.columns.filter((column) => column.trim().toLowerCase() === folded);
  if (matches.length === 1) return matches[0];
  const found = source.columns.map((column) => `"${column}"`).join(", ");
  const problem =
    matches.length > 1
      ? `Column "${wanted}" (${configKey}) matches several columns of ${source.path} when case is ignored: ${matches.join(", ")}.`
      : `Column "${wanted}" (${configKey}) not found in ${source.path}. Columns found: ${found}.`;
  throw new DataError(problem, `Set ${configKey} in config/config.yaml to one of the columns found${extraHint}.`);
}
