// The name of a series keyed by several columns (data.series_key), and back.
//
// A multi-column key is shown and stored as ONE name: its parts (each trimmed and in Unicode
// NFC, like any series name) joined by "/", with "%" and "/" inside a part written %25 and %2F:
//
//   store_id "CA_1", item_id "FOODS_3_090"   ->  CA_1/FOODS_3_090
//   store_id "A/B",  item_id "x%y"           ->  A%2FB/x%25y
//
// So a name splits back into exactly its parts (splitSeriesKey), two different keys never give
// the same name, and the usual M5 ids read as they are. Spaces and any other character (unicode
// included) stay as written: the name is data, never a path (the registry maps names to safe
// folder names), and URLs carry it percent-encoded like any text. A single-column key
// (data.category_column) is not encoded at all: its names stay what they always were.

import { seriesName } from "./read-plan.js";

export const KEY_SEPARATOR = "/";

function escapePart(part: string): string {
  return part.replaceAll("%", "%25").replaceAll("/", "%2F");
}

function unescapePart(part: string): string {
  return part.replace(/%2F/gi, "/").replace(/%25/g, "%");
}

/** The series name of a key's parts (one part: that part, unchanged but for trimming and NFC). */
export function seriesKeyName(parts: readonly string[]): string {
  if (parts.length === 1) return seriesName(parts[0]);
  return parts.map((part) => escapePart(seriesName(part))).join(KEY_SEPARATOR);
}

/** The parts of a name made by seriesKeyName with `partCount` parts; undefined when it has another number of parts. */
export function splitSeriesKey(name: string, partCount: number): string[] | undefined {
  if (partCount === 1) return [name];
  const parts = name.split(KEY_SEPARATOR);
  return parts.length === partCount ? parts.map(unescapePart) : undefined;
}

/**
 * The same name built by DuckDB from trimmed NFC texts (SQL expressions), for queries that must
 * agree with seriesKeyName. replace() is applied to "%" first, as in escapePart.
 */
export function seriesKeyNameSql(parts: readonly string[]): string {
  if (parts.length === 1) return parts[0];
  const escaped = parts.map((part) => `replace(replace(${part}, '%', '%25'), '/', '%2F')`);
  return `concat_ws('/', ${escaped.join(", ")})`;
}
