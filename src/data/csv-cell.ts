// One cell of a CSV file salescast writes (backtest --out, demo data). Two jobs:
// - quoting: a cell holding a comma, quote or line break is quoted, quotes doubled (RFC 4180);
// - formula injection: a text cell starting with = + - @ (or a tab / carriage return) is what
//   Excel, LibreOffice and Google Sheets run as a formula when the file is opened
//   (`=cmd|' /C calc'!A0`). Category names come from users' files, so such a text is written
//   with a leading apostrophe, which spreadsheets show as text (OWASP's advice).
// Numbers are never changed: -5 stays -5. Ingestion reads the apostrophe back as part of
// the name, so written files are for people and spreadsheets, not for reading back in.

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === "string" && FORMULA_START.test(text) && !isPlainNumber(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** "-5", "+1.5e3": a number written as text is data, not a formula. */
function isPlainNumber(text: string): boolean {
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text);
}
