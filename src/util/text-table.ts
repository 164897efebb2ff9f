/**
 * A plain-text table for the terminal: each column as wide as its widest cell, columns two
 * spaces apart, the first `textColumns` left-aligned (names) and the rest right-aligned
 * (numbers), a rule of dashes under the header unless `rule` is false, no trailing spaces.
 */
export function formatTextTable(header: string[], rows: (string | number)[][], options: { textColumns?: number; rule?: boolean } = {}): string {
  const { textColumns = 1, rule = true } = options;
  const body = rows.map((row) => row.map(String));
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column < textColumns ? cell.padEnd(widths[column]) : cell.padStart(widths[column])))
      .join("  ")
      .trimEnd();
  return [line(header), ...(rule ? [line(widths.map((width) => "-".repeat(width)))] : []), ...body.map(line)].join("\n");
}
