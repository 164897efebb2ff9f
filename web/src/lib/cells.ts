// Validation of the Predict page's editable values (the window's cells and the covariate
// lists), run on every keystroke. Values are sent only when every one parses; otherwise the
// page names the ones to fix.
import { format } from "./format.js";

export type CellCheck = { ok: true; value: number } | { ok: false; problem: string };

/** How the locale writes numbers: "." and "," in English, "," and "." in German. */
export interface Separators {
  decimal: string;
  group: string;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Accepts what an analyst types or pastes, in the page's locale: "1234", "1234.5", "-3",
 * "1,234.50" (thousands separators) in English, "1234,5" and "1.234,50" in German, and plain
 * JavaScript numbers ("1234.5", "1e3") anywhere; surrounding spaces too. Refuses empty cells,
 * text, NaN/Infinity and numbers too large to be sales.
 */
export function checkCell(text: string, separators: Separators = format.separators): CellCheck {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, problem: "empty: type a number" };
  const { decimal, group } = separators;
  // Grouping is only read as such in its exact shape (groups of three), so "1.5" stays 1.5.
  const grouped = new RegExp(`^[+-]?\\d{1,3}(${escape(group)}\\d{3})+(${escape(decimal)}\\d+)?$`);
  const localeDecimal = new RegExp(`^[+-]?\\d*${escape(decimal)}\\d+$`);
  let plain = trimmed;
  if (grouped.test(trimmed)) plain = trimmed.split(group).join("").replace(decimal, ".");
  else if (decimal !== "." && localeDecimal.test(trimmed)) plain = trimmed.replace(decimal, ".");
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

export function checkWindow(cells: readonly string[], separators?: Separators): WindowCheck {
  const values: number[] = [];
  const problems = new Map<number, string>();
  cells.forEach((text, index) => {
    const check = checkCell(text, separators);
    if (check.ok) values.push(check.value);
    else problems.set(index, check.problem);
  });
  return { values, problems };
}

/**
 * A list of values typed or pasted into a text box (a covariate over the window and the
 * forecast periods): one per line, or separated by semicolons or tabs (commas are decimal or
 * grouping marks in many locales, so they do not separate). Empty lines are ignored.
 */
export function splitValues(text: string): string[] {
  return text
    .split(/[\r\n\t;]+/)
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

export type ListCheck = { ok: true; values: number[] } | { ok: false; problem: string; count: number };

/**
 * A list of exactly `expected` numbers in a text box (splitValues, then checkCell each): the
 * first value that does not parse is named by its position, a wrong count says how many to add
 * or remove.
 */
export function checkValueList(text: string, expected: number, separators?: Separators): ListCheck {
  const parts = splitValues(text);
  const values: number[] = [];
  for (const [i, part] of parts.entries()) {
    const check = checkCell(part, separators);
    if (!check.ok) return { ok: false, problem: `value ${i + 1}: ${check.problem}`, count: parts.length };
    values.push(check.value);
  }
  if (values.length < expected) {
    const missing = expected - values.length;
    return { ok: false, problem: `${values.length} of ${expected} values: add ${missing} more`, count: values.length };
  }
  if (values.length > expected) {
    return { ok: false, problem: `${values.length} values, ${expected} expected: remove ${values.length - expected}`, count: values.length };
  }
  return { ok: true, values };
}

function shorten(text: string): string {
  return text.length > 20 ? `${text.slice(0, 19)}…` : text;
}
