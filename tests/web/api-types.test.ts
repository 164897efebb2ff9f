// The dashboard's API types are generated from the server's own route schemas
// (web/src/api-types.gen.ts, `npm run gen:api-types`). Regenerated here in memory: a route schema
// changed without regenerating fails, with the command that fixes it. And no schema is so loose
// that its generated type says nothing (an object with neither properties nor a value schema).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { openApiDocument } from "../../src/server/openapi-document.js";
import { API_TYPES_COMMAND, API_TYPES_FILE, apiTypesSource } from "../../tools/api-types.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
let document: Record<string, unknown>;

beforeAll(async () => {
  document = await openApiDocument();
});

/** Object schemas below `node` whose generated type would be `{ [key: string]: unknown }`, by path. */
function looseObjects(node: unknown, path: string): string[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => looseObjects(item, `${path}[${i}]`));
  if (typeof node !== "object" || node === null) return [];
  const schema = node as Record<string, unknown>;
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const loose =
    types.includes("object") && schema.properties === undefined && (schema.additionalProperties === undefined || schema.additionalProperties === true);
  return [...(loose ? [path] : []), ...Object.entries(schema).flatMap(([key, value]) => looseObjects(value, `${path}.${key}`))];
}

describe("the dashboard's API types", () => {
  it(`${API_TYPES_FILE} is generated from the server's current route schemas`, async () => {
    const committed = await readFile(join(root, API_TYPES_FILE), "utf8");
    const fresh = await apiTypesSource(document);
    expect(committed, `${API_TYPES_FILE} does not match the server's route schemas: run \`${API_TYPES_COMMAND}\` and commit the file`).toBe(fresh);
  });

  it("change when a route's schema changes (so the check above can fail)", async () => {
    const renamed = JSON.parse(JSON.stringify(document).replaceAll('"best_epoch"', '"bestEpoch"')) as Record<string, unknown>;
    const text = await apiTypesSource(renamed);
    expect(text).toContain("bestEpoch: number");
    expect(text).not.toBe(await apiTypesSource(document));
  });

  it("come from schemas that describe every object the API sends or takes", () => {
    const paths = document.paths as Record<string, unknown>;
    expect(Object.keys(paths)).toContain("/api/jobs/{id}");
    expect(looseObjects(paths, "paths")).toEqual([]);
    // The check sees a loose object when there is one.
    expect(looseObjects({ schema: { type: ["object", "null"], additionalProperties: true } }, "x")).toEqual(["x.schema"]);
  });
});
