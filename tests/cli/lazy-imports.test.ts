// `salescast --help` and `--version` took 1.2-1.5 s (Node itself: 0.1 s) because src/cli.ts
// imported every command, and every command its whole stack (zod, DuckDB, the engine, Fastify)
// at start-up. Now each command imports its stack inside run(). This test walks the static
// imports from src/cli.ts (what Node loads before any command runs) and fails if one of them
// pulls in a heavy module again. (Speed itself is measured, never asserted: README, "The
// command line".)
import { join, relative, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { resolveRelative, staticImports } from "../import-graph.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Every module loaded at start-up: project files (relative to the root) and packages, by name. */
function startupClosure(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop()!;
    const rel = relative(root, file);
    if (files.has(rel)) continue;
    files.add(rel);
    // Type-only imports are erased by the compiler: they load nothing at start-up.
    for (const { specifier } of staticImports(file).filter((found) => !found.typeOnly)) {
      if (specifier.startsWith(".")) {
        queue.push(resolveRelative(file, specifier));
      } else if (!specifier.startsWith("node:")) {
        packages.add(specifier);
      }
    }
  }
  return { files, packages };
}

describe("start-up imports of the salescast command", () => {
  const { files, packages } = startupClosure(join(root, "src", "cli.ts"));

  it("loads no heavy package before a command runs", () => {
    expect([...packages].sort()).toEqual(["commander"]);
  });

  it("loads no configuration schema, data, engine, training, tracking, server or forecaster module", () => {
    const heavy = [...files].filter((file) =>
      /^src\/(config\/(load|schema|errors)|data\/(ingest|source|covariates|covariate-file)|engine|training|tracking|server|forecaster|registry\/(index|local|mlflow))/.test(
        file,
      ),
    );
    expect(heavy).toEqual([]);
  });

  it("the walk sees the commands (a sanity check of the walker itself)", () => {
    for (const command of ["train", "predict", "backtest", "runs", "serve"]) expect(files).toContain(`src/cli/${command}.ts`);
    expect(files).toContain("src/config/paths.ts");
  });
});
