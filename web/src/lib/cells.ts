// Validation of the Predict page's editable window, run on every keystroke. A cell is sent
// only when every cell parses; otherwise the page names the cells to fix.

export type CellCheck = { ok: true; value: number } | { ok: false; problem: string };

/**
 * Accepts what an analyst types or pastes: "1234", "1234.5", "-3", "1,234.50" (thousands
 * commas), surrounding spaces. Refuses empty cells, text, NaN/Infinity and numbers too
 * large to be sales.
 */
export function checkCell(text: string): CellCheck {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, problem: "empty: type a number" };
  const plain = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(trimmed) ? trimmed.replaceAll(",", "") : trimmed;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(plain)) return { ok: false, problem: `"${shorten(trimmed)}" is not a number` };
  const value = Number(plain);
  if (!Number.isFinite(value) || Math.abs(value) > 1e15) return { ok: false, problem: "too large: sales must be below 1e15" };
  return { ok: true, value };
}

export interface WindowCheck {
  values: number[];
  /** Index -> problem, for the cells that do not parse. */
  problems: Map<number, string>;
}

export function checkWindow(cells: readonly string[]): WindowCheck {
  const values: number[] = [];
  const problems = new Map<number, string>();
  cells.forEach((text, index) => {
    const check = checkCell(text);
    if (check.ok) values.push(check.value);
    else problems.set(index, check.problem);
  });
  return { values, problems };
}

function shorten(text: string): string {
  return text.length > 20 ? `${text.slice(0, 19)}…` : text;
}
