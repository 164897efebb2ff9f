// Configuration errors name the key path and the expected form, so the fix is obvious.
import type { z } from "zod";
import { getPath } from "./tree.js";
import { configSchema } from "./schema.js";

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

export function formatSchemaIssues(issues: z.core.$ZodIssue[], input: unknown): string {
  return issues.map((issue) => `  - ${describeIssue(issue, input)}`).join("\n");
}

/** One issue as "data.window_size: must be at least 3 ...; found 2"; `prefix` is put before the key path. */
export function describeIssue(issue: z.core.$ZodIssue, input: unknown, prefix = ""): string {
  const path = issue.path.map(String);
  const where = prefix + (path.join(".") || "(top level)");
  if (issue.code === "unrecognized_keys") {
    const known = knownKeys(path);
    const keys = issue.keys.map((key) => prefix + [...path, key].join("."));
    return `${keys.join(", ")}: unknown key${keys.length > 1 ? "s" : ""}${known ? `; known keys here: ${known}` : ""}`;
  }
  const found = getPath(input, issue.path as (string | number)[]);
  const shown = found === undefined ? "nothing (missing)" : JSON.stringify(found);
  return `${where}: ${issue.message}; found ${shown}`;
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
