// Configuration errors name the key path and the expected form, so the fix is obvious.
import type { z } from "zod";
import { getPath } from "./tree.js";
import { configSchema } from "./schema.js";

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/**
 * One line per issue: the key path, what is wrong and the value found. `typed` holds the text
 * of values given on the command line or in the environment ("data.window_size" -> "abc").
 */
export function formatSchemaIssues(issues: z.core.$ZodIssue[], input: unknown, typed: ReadonlyMap<string, string> = new Map()): string {
  return issues.map((issue) => `  - ${describeIssue(issue, input, typed)}`).join("\n");
}

/**
 * One issue as "data.window_size: must be at least 3 ...; found 2". `typed` holds the text of
 * values given on the command line or in the environment; `prefix` is put before the key path.
 */
export function describeIssue(issue: z.core.$ZodIssue, input: unknown, typed: ReadonlyMap<string, string> = new Map(), prefix = ""): string {
  const path = issue.path.map(String);
  const where = prefix + (path.join(".") || "(top level)");
  if (issue.code === "unrecognized_keys") {
    const known = knownKeys(path);
    const keys = issue.keys.map((key) => prefix + [...path, key].join("."));
    return `${keys.join(", ")}: unknown key${keys.length > 1 ? "s" : ""}${known ? `; known keys here: ${known}` : ""}`;
  }
  const found = getPath(input, issue.path as (string | number)[]);
  const shown = found === undefined ? "nothing (missing)" : JSON.stringify(found);
  return `${where}: ${issue.message}; found ${shown}${textHint(issue, path, found, typed)}`;
}

/**
 * YAML reads 127.1, 2024 or true as a number or a boolean: where the schema wants text, say how
 * to quote it, in each place a value can come from (app.host=127.1 -> app.host='"127.1"').
 */
function textHint(issue: z.core.$ZodIssue, path: string[], found: unknown, typed: ReadonlyMap<string, string>): string {
  if (issue.code !== "invalid_type" || issue.expected !== "string") return "";
  if (typeof found !== "number" && typeof found !== "boolean") return "";
  const key = path.join(".");
  const text = (typed.get(key) ?? String(found)).trim();
  const quoted = JSON.stringify(text);
  const env = `SALESCAST__${path.map((part) => part.toUpperCase()).join("__")}`;
  return (
    ` (read as a ${typeof found}: to pass it as text, quote it: ${key}='${quoted}' on the command line, ` +
    `${env}='${quoted}' in the environment, ${path[path.length - 1]}: ${quoted} in YAML)`
  );
}

function knownKeys(path: string[]): string | undefined {
  let node = unwrap(configSchema);
  for (const key of path) node = unwrap(node?.shape?.[key]);
  return node?.shape ? Object.keys(node.shape).join(", ") : undefined;
}

interface SchemaNode {
  shape?: Record<string, unknown>;
  _zod?: { def?: { innerType?: unknown } };
}

/** Looks through .default() / .prefault() wrappers to the object schema inside. */
function unwrap(schema: unknown): SchemaNode | undefined {
  let node = schema as SchemaNode | undefined;
  while (node && !node.shape && node._zod?.def?.innerType) node = node._zod.def.innerType as SchemaNode;
  return node;
}
