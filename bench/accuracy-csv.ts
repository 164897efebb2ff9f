// CSV in and out for the accuracy bench: the forecasts the anchors and `salescast backtest --out`
// write, and the long CSV the anchors read. RFC 4180: a quoted cell may hold commas, doubled
// quotes and line breaks (series names come from users' files).

/** The records of a CSV text, keyed by the header's names; `what` names the file in errors. */
export function parseCsv(text: string, what: string): Record<string, string>[] {
  const table = parseCells(text, what);
  if (table.length === 0) throw new Error(`${what} is empty: expected a header line.`);
  const [header, ...lines] = table;
  return lines
    .filter((cells) => !(cells.length === 1 && cells[0] === ""))
    .map((cells, index) => {
      if (cells.length !== header.length) {
        throw new Error(`${what}, line ${index + 2}: ${cells.length} cells where the header has ${header.length} (${header.join(",")}).`);
      }
      return Object.fromEntries(header.map((name, column) => [name, cells[column]]));
    });
}

function parseCells(text: string, what: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"' && cell === "") quoted = true;
    else if (char === ",") {
      row.push(cell);
      cell = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += char;
  }
  if (quoted) throw new Error(`${what}: a quoted cell is not closed before the end of the file.`);
  if (cell !== "" || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** One cell as RFC 4180 writes it: quoted when it holds a comma, quote or line break. Nothing else changed. */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Columns that must be present, else an error naming those found. */
export function requireColumns(records: Record<string, string>[], columns: readonly string[], what: string): void {
  if (records.length === 0) return;
  const found = Object.keys(records[0]);
  const missing = columns.filter((column) => !found.includes(column));
  if (missing.length) throw new Error(`${what} has no column ${missing.join(", ")}: found ${found.join(", ")}.`);
}
