// Reading a CSV's header line ourselves, so DuckDB can read the file with a fixed dialect.
// DuckDB's sniffer guesses: given a file whose second data line has extra fields it decides
// the file has one column, or that the header is a later line, and reads on without a word.
// A fixed dialect (delimiter from the header, header on line 1, every column VARCHAR, strict)
// turns those files into an error naming the line.

import { open } from "node:fs/promises";
import { DataError } from "./errors.js";

export interface CsvHeader {
  delimiter: string;
  columns: string[];
}

const DELIMITERS = [",", ";", "\t", "|"];
const MAX_HEADER_BYTES = 1 << 20;

export async function readCsvHeader(path: string): Promise<CsvHeader> {
  const line = await readFirstLine(path);
  if (line.trim() === "") {
    throw new DataError(
      `The first line of ${path} is empty: it must be the header (the column names).`,
      "Put the column names on the first line, e.g. Date,Product Category,Total Amount.",
    );
  }
  // The delimiter is the candidate that splits the header into the most fields.
  let best: CsvHeader = { delimiter: ",", columns: splitCsvLine(line, ",") };
  for (const delimiter of DELIMITERS.slice(1)) {
    const columns = splitCsvLine(line, delimiter);
    if (columns.length > best.columns.length) best = { delimiter, columns };
  }
  best.columns = best.columns.map((name, i) => (name.trim() === "" ? `column${i + 1}` : name));
  const seen = new Map<string, string>();
  for (const name of best.columns) {
    // DuckDB resolves identifiers ignoring case, so "date" and "Date" cannot both be read; and
    // series are named in NFC (read-plan.ts), so "é" written two ways would be two series that look alike.
    const folded = name.normalize("NFC").toLowerCase();
    const earlier = seen.get(folded);
    if (earlier !== undefined) {
      const how =
        earlier === name ? "" : earlier.toLowerCase() === name.toLowerCase() ? "case" : "case or in how their accents are encoded (Unicode NFC and NFD)";
      throw new DataError(
        how === ""
          ? `Column "${name}" appears twice in the header of ${path}.`
          : `Columns "${earlier}" and "${name}" in the header of ${path} differ only in ${how}.`,
        "Give every column a distinct name (case is ignored).",
      );
    }
    seen.set(folded, name);
  }
  return best;
}

async function readFirstLine(path: string): Promise<string> {
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.alloc(MAX_HEADER_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, MAX_HEADER_BYTES, 0);
    refuseBinary(path, buffer.subarray(0, Math.min(bytesRead, 4096)));
    let text = buffer.subarray(0, bytesRead).toString("utf8");
    if (text.startsWith("\uFEFF")) text = text.slice(1);
    const end = endOfFirstRecord(text);
    if (end === -1 && bytesRead === MAX_HEADER_BYTES) {
      throw new DataError(`The header line of ${path} is longer than 1 MiB.`, "Check that the file is a CSV file.");
    }
    const line = end === -1 ? text : text.slice(0, end);
    // Bytes that are not UTF-8 decode to U+FFFD; column names would show it and match nothing.
    if (line.includes("\uFFFD")) {
      throw new DataError(
        `The header line of ${path} is not UTF-8 text (the file is probably Latin-1 or Windows-1252).`,
        "Save the file as UTF-8 (in Excel: Save As, \"CSV UTF-8 (Comma delimited)\"; or iconv -f WINDOWS-1252 -t UTF-8).",
      );
    }
    return line;
  } finally {
    await handle.close();
  }
}

/** Compressed or binary files (gzip, xlsx, ...) would otherwise show up as garbled column names. */
function refuseBinary(path: string, start: Buffer): void {
  if (looksUtf16(start)) {
    throw new DataError(
      `${path} is UTF-16 text; salescast reads UTF-8 CSV files.`,
      "Save it as UTF-8 (in Excel: Save As, \"CSV UTF-8 (Comma delimited)\"; or iconv -f UTF-16 -t UTF-8).",
    );
  }
  const gzip = start[0] === 0x1f && start[1] === 0x8b;
  const zip = start.subarray(0, 4).equals(Buffer.from("PK\x03\x04", "latin1"));
  if (gzip || zip || start.includes(0)) {
    const what = gzip ? "gzip-compressed" : zip ? "a zip archive (an Excel .xlsx file?)" : "binary, not text";
    throw new DataError(
      `${path} is ${what}, not a CSV text file.`,
      "Decompress it, or export it as CSV (or Parquet, with a name ending in .parquet).",
    );
  }
}

/** A UTF-16 byte order mark, or ASCII text with a zero byte beside every character (UTF-16 without a mark). */
function looksUtf16(start: Buffer): boolean {
  if (start.length >= 2 && ((start[0] === 0xff && start[1] === 0xfe) || (start[0] === 0xfe && start[1] === 0xff))) return true;
  const pairs = Math.floor(Math.min(start.length, 64) / 2);
  if (pairs < 4) return false;
  let zeroHigh = 0;
  let zeroLow = 0;
  for (let i = 0; i < pairs; i++) {
    if (start[2 * i] === 0 && start[2 * i + 1] !== 0) zeroHigh++;
    if (start[2 * i + 1] === 0 && start[2 * i] !== 0) zeroLow++;
  }
  return zeroHigh === pairs || zeroLow === pairs;
}

/** Index of the first line break outside quotes, or -1. */
function endOfFirstRecord(text: string): number {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === "\n" || char === "\r")) return i;
  }
  return -1;
}

/** Fields of one CSV record: quotes group, "" inside quotes is a quote. */
export function splitCsvLine(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"') {
      quoted = true;
    } else if (char === delimiter) {
      fields.push(field);
      field = "";
    } else {
      field += char;
    }
  }
  fields.push(field);
  return fields;
}

/**
 * DuckDB's CSV errors end with advice about its own options (strict_mode, null_padding) that a
 * salescast user cannot set; keep the facts (line, original text, expected fields).
 */
export function describeCsvError(message: string): string {
  const line = /CSV Error on Line: (\d+)/.exec(message)?.[1];
  const original = /Original Line: (.*)/.exec(message)?.[1];
  const counts = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(message);
  if (line && counts) {
    const shown = original && original.length > 200 ? `${original.slice(0, 200)}...` : original;
    // DuckDB stops counting at expected + 1, so "too many" has no exact number.
    const [expected, found] = [Number(counts[1]), Number(counts[2])];
    const fields = found > expected ? "more fields than" : `${found} fields but`;
    // One field where the header has several: the rows probably use another delimiter.
    const other = found === 1 && original ? DELIMITERS.find((d) => splitCsvLine(original, d).length === expected) : undefined;
    const delimiterHint = other ? ` (split on ${JSON.stringify(other)} it has ${expected}: use one delimiter in the header and the rows)` : "";
    return `line ${line} has ${fields} the header (${expected})${shown ? `: ${shown}` : ""}${delimiterHint}`;
  }
  // The reasons a salescast user can act on, said without DuckDB's option names.
  if (line && /Invalid unicode/i.test(message)) {
    return `line ${line} is not UTF-8 text (the file is probably Latin-1 or Windows-1252); save the file as UTF-8`;
  }
  const size = /Maximum line size of (\d+) bytes exceeded\. Actual Size:\s*(\d+)/.exec(message);
  if (line && size) {
    return `line ${line} is ${size[2]} bytes long, more than the ${size[1]} bytes a line may have (a quote never closed, or not a CSV file?)`;
  }
  if (line && /unterminated quote/i.test(message)) {
    return `line ${line} opens a quote (") that is never closed; close it, or write a quote inside a quoted value as ""`;
  }
  if (line) {
    const reason = message.split("\n").find((text, i) => i > 0 && text.trim() !== "" && !text.startsWith("Original Line:"));
    return `line ${line}: ${reason ?? message.split("\n")[0].replace(/^Invalid Input Error: /, "")}`;
  }
  return message.split("\n")[0];
}
