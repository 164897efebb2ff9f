// backend.ts is the Backend interface alone, and backends/index.ts the one place that lists the
// implementations and chooses between them (engine.backend). Before issue 16, backend.ts both
// declared the interface and imported its implementations, which import it back: nine circles
// through backend.ts, model.ts and init.ts (`npx madge --circular src/engine` listed them).
// That no circle comes back, here or anywhere, is the layer check's job (`npm run
// check:layers`, .dependency-cruiser.mjs's no-circular rule, tests/layers/layer-rule.test.ts);
// this test keeps the shape that removed them.
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { resolveRelative, staticImports } from "../import-graph.js";

const engine = fileURLToPath(new URL("../../src/engine/", import.meta.url));

/** Each src/engine file (relative to src/engine) with the src/engine files it imports. */
function engineGraph(): Map<string, string[]> {
  const files = (readdirSync(engine, { recursive: true }) as string[]).filter((file) => file.endsWith(".ts"));
  return new Map(
    files.map((file) => {
      const path = join(engine, file);
      const targets = staticImports(path)
        .filter((found) => found.specifier.startsWith("."))
        .map((found) => relative(engine, resolveRelative(path, found.specifier)))
        .filter((target) => !target.startsWith(".."));
      return [file, targets];
    }),
  );
}

describe("src/engine's import graph", () => {
  const graph = engineGraph();

  it("backend.ts imports only the model's shape, and only backends/index.ts imports the implementations", () => {
    expect(graph.get("backend.ts")).toEqual(["model-shape.ts"]);
    const importers = (target: string) =>
      [...graph]
        .filter(([, targets]) => targets.includes(target))
        .map(([file]) => file)
        .sort();
    expect(importers("backends/reference.ts")).toEqual(["backends/index.ts"]);
    // The GBDT learner declares its own entry points in the native addon (native-learner.ts).
    expect(importers("backends/native.ts")).toEqual(["backends/index.ts", "gbdt/native-learner.ts"]);
  });
});
