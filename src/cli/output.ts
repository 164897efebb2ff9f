// One place decides where things are printed: results on stdout (one JSON object with --json),
// logs and progress on stderr, so `salescast x --json | jq` always works.
export interface Output {
  json: boolean;
  log(message: string): void;
  result(value: unknown, text: () => string): void;
}

export function createOutput(json: boolean): Output {
  return {
    json,
    log: (message) => process.stderr.write(`${message}\n`),
    result: (value, text) => process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`),
  };
}

/** Fixed-width text table for terminal output. */
export function formatTable(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => (row[column] ?? "").length)));
  const line = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column])).join("  ").trimEnd();
  return [line(cells[0]), widths.map((width) => "-".repeat(width)).join("  "), ...cells.slice(1).map(line)].join("\n");
}
